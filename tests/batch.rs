//! Integration tests of batch mode: folders, -o, -w, --diff, --format json,
//! --check, JSON Lines input, and the bad inputs a scraped corpus holds.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn unspin() -> Command {
    Command::cargo_bin("unspin").unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(path).unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temporary folder to build input trees in.
struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new() -> Tree {
        Tree {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn exists(&self, rel: &str) -> bool {
        self.path(rel).symlink_metadata().is_ok()
    }

    /// `unspin` run in this folder.
    fn unspin(&self) -> Command {
        let mut cmd = unspin();
        cmd.current_dir(self.dir.path());
        cmd
    }

    /// Every file under `rel`, relative to it, sorted.
    fn files(&self, rel: &str) -> Vec<String> {
        fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, base, out);
                } else {
                    out.push(path.strip_prefix(base).unwrap().display().to_string());
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.path(rel), &self.path(rel), &mut out);
        out.sort();
        out
    }
}

/// What unspin makes of `input` on stdin: the reference for every mode.
fn repaired(input: &[u8]) -> Vec<u8> {
    let out = unspin().write_stdin(input.to_vec()).assert().success();
    out.get_output().stdout.clone()
}

fn crlf(bytes: &[u8]) -> Vec<u8> {
    text(bytes).replace('\n', "\r\n").into_bytes()
}

/// The corpus most tests run on:
///
/// ```text
/// in/spun.txt                 spun news
/// in/clean.txt                clean news
/// in/nested/deeper/crlf.txt   spun news with CRLF line ends
/// in/nested/empty.txt         empty
/// in/nested/data.bin          NUL bytes around a spun word
/// in/.hidden/spun.txt         hidden
/// in/link.txt -> nested/deeper/crlf.txt   (unix)
/// ```
fn corpus() -> Tree {
    let tree = Tree::new();
    tree.write("in/spun.txt", fixture("spun_news.txt"));
    tree.write("in/clean.txt", fixture("clean_news.txt"));
    tree.write("in/nested/deeper/crlf.txt", crlf(&fixture("spun_news.txt")));
    tree.write("in/nested/empty.txt", "");
    tree.write("in/nested/data.bin", b"\x89PNG\0\0 the ministry stated\0");
    tree.write("in/.hidden/spun.txt", fixture("spun_news.txt"));
    #[cfg(unix)]
    std::os::unix::fs::symlink("nested/deeper/crlf.txt", tree.path("in/link.txt")).unwrap();
    tree
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    text(&assert.get_output().stderr)
}

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    text(&assert.get_output().stdout)
}

#[test]
fn a_folder_needs_somewhere_to_write() {
    let tree = corpus();
    let out = tree.unspin().arg("in").assert().code(2).stdout("");
    let stderr = stderr_of(&out);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("in is a directory"), "{stderr}");
    assert!(
        stderr.contains("-o DIR") && stderr.contains("-w"),
        "{stderr}"
    );
}

/// A folder refused on stdout does not take the files named with it down:
/// they are still repaired to stdout, in order, and the folder is
/// reported (exit 2).
#[test]
fn a_folder_on_stdout_is_reported_and_the_files_still_go_out() {
    let tree = corpus();
    let spun = fixture("spun_news.txt");
    let clean = fixture("clean_news.txt");
    let run = tree
        .unspin()
        .args(["in/spun.txt", "in/nested", "in/clean.txt"])
        .assert()
        .code(2);
    assert_eq!(stdout_of(&run), text(&[repaired(&spun), clean].concat()));
    let stderr = stderr_of(&run);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("unspin: in/nested is a directory: give -o DIR"),
        "{stderr}"
    );
}

#[test]
fn usage_errors() {
    let tree = corpus();
    // -o and -w together.
    tree.unspin()
        .args(["-o", "out", "-w", "in"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be used with"));
    // Files are written, but standard input has no name to write to.
    tree.unspin()
        .args(["-w"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr("unspin: -w needs files or folders, not standard input\n");
    tree.unspin().args(["--check", "-w", "in"]).assert().code(2);
    tree.unspin()
        .args(["-o", "in", "in"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("use -w"));
    assert!(!tree.exists("out"));
}

#[test]
fn output_folder_mirrors_the_tree() {
    let tree = corpus();
    let run = tree.unspin().args(["-o", "out", "in"]).assert().success();
    let stderr = stderr_of(&run);
    assert_eq!(
        tree.files("out"),
        [
            "clean.txt",
            "nested/data.bin",
            "nested/deeper/crlf.txt",
            "nested/empty.txt",
            "spun.txt"
        ]
    );
    let spun = fixture("spun_news.txt");
    assert_eq!(tree.read("out/spun.txt"), repaired(&spun));
    assert_ne!(tree.read("out/spun.txt"), spun);
    assert_eq!(tree.read("out/clean.txt"), fixture("clean_news.txt"));
    let crlf_out = tree.read("out/nested/deeper/crlf.txt");
    assert_eq!(crlf_out, repaired(&crlf(&spun)));
    assert!(text(&crlf_out).contains("Joint Chiefs of Staff"));
    assert_eq!(
        text(&crlf_out).matches("\r\n").count(),
        text(&spun).matches('\n').count()
    );
    assert_eq!(tree.read("out/nested/empty.txt"), b"");
    // Binary files are skipped, and copied as they are for a complete corpus.
    assert_eq!(
        tree.read("out/nested/data.bin"),
        tree.read("in/nested/data.bin")
    );
    assert!(
        stderr.contains("in/nested/data.bin: binary file skipped"),
        "{stderr}"
    );
    // Inputs are untouched.
    assert_eq!(tree.read("in/spun.txt"), spun);
    // The summary: files read (binary excluded), changed, edits.
    let summary = stderr.lines().last().unwrap();
    assert!(
        summary.starts_with("unspin: 4 files read, 2 changed, "),
        "{summary}"
    );
    assert!(summary.contains("1 binary file skipped"), "{summary}");
    #[cfg(unix)]
    assert!(summary.contains("1 symlink not followed"), "{summary}");
}

#[test]
fn output_of_several_inputs_goes_under_their_names() {
    let tree = corpus();
    tree.unspin()
        .args(["-o", "out", "in/nested", "in/spun.txt"])
        .assert()
        .success();
    assert_eq!(
        tree.files("out"),
        [
            "nested/data.bin",
            "nested/deeper/crlf.txt",
            "nested/empty.txt",
            "spun.txt"
        ]
    );
    // Two inputs with one name cannot share the folder.
    tree.write("other/spun.txt", "x");
    tree.unspin()
        .args(["-o", "out2", "in/spun.txt", "other/spun.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("two inputs are named spun.txt"));
    // Nor can an input and the folder it is in: its file would be written
    // to one of its two places only.
    for (inputs, says) in [
        (
            ["in/nested", "in/nested/empty.txt"],
            "in/nested/empty.txt is inside in/nested",
        ),
        (["in", "in/nested"], "in/nested is inside in,"),
    ] {
        tree.unspin()
            .args(["-o", "out3"])
            .args(inputs)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(says));
        assert!(!tree.path("out3").exists());
    }
}

/// An `-o` folder that overlaps an input would have the copies written
/// over the inputs (`-o . in in2` writes ./in/…) or among them (`-o in/sub
/// in` overwrote in/sub/a.txt): refused before anything is written, links
/// resolved, with one line and exit status 2.
#[test]
fn output_folder_overlapping_an_input_is_refused() {
    let tree = corpus();
    tree.write("in/sub/a.txt", "The ministry stated it.\n");
    tree.write("in2/b.txt", "The ministry stated it.\n");
    let before = tree.files("");
    let mut cases = vec![
        (vec!["-o", "in/sub", "in"], "is inside the input in"),
        (vec!["-o", "in/new", "in"], "is inside the input in"),
        (vec!["-o", ".", "in", "in2"], "holds the input in"),
        (vec!["-o", "in", "in"], "is the input in itself: use -w"),
        (
            vec!["-o", "in/sub/../sub", "in/sub"],
            "is the input in/sub itself",
        ),
        (vec!["-o", ".", "in2/b.txt"], "holds the input in2/b.txt"),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(tree.path("in"), tree.path("link")).unwrap();
        cases.push((vec!["-o", "link/new", "in"], "is inside the input in"));
        cases.push((vec!["-o", "out", "link/sub"], ""));
    }
    for (args, says) in cases {
        let run = tree.unspin().args(&args).assert();
        if says.is_empty() {
            run.success();
            continue;
        }
        let err = stderr_of(&run.code(2).stdout(""));
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let mut after = tree.files("");
    after.retain(|f| !f.starts_with("out/") && !f.starts_with("link/"));
    assert_eq!(after, before);
    assert!(!tree.exists("in/new"));
    assert_eq!(
        text(&tree.read("in/sub/a.txt")),
        "The ministry stated it.\n"
    );
    // A file where the folder should be.
    let run = tree
        .unspin()
        .args(["-o", "in2/b.txt", "in"])
        .assert()
        .code(2);
    assert!(stderr_of(&run).contains("-o in2/b.txt: not a folder"));
}

/// A refused `-o` run writes nothing: not even the output folder, nor
/// the folders above it, whatever refuses it (the paths, the names, the
/// other arguments, a dictionary that cannot be read).
#[test]
fn a_refused_output_run_creates_no_folder() {
    let tree = Tree::new();
    tree.write("x/a.txt", "hi\n");
    tree.write("y/a.txt", "hi\n");
    tree.write("corp/a.txt", "hi\n");
    tree.write("f", "hi\n");
    let before = tree.files("");
    let cases: [&[&str]; 5] = [
        &["-o", "newout/a/b", "x/a.txt", "y/a.txt"],
        &["-o", "corp/out", "corp"],
        &["-o", "out6", "f", "f"],
        &["-j", "20000", "-o", "out7/sub", "x"],
        &["--dict", "missing.csv", "-o", "out8/sub", "x"],
    ];
    for args in cases {
        let run = tree.unspin().args(args).assert().code(2).stdout("");
        let err = stderr_of(&run);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    for dir in ["newout", "corp/out", "out6", "out7", "out8"] {
        assert!(!tree.exists(dir), "{dir} was created");
    }
    assert_eq!(tree.files(""), before);
}

/// A symlink already inside the `-o` folder is never written through: a
/// folder link (`out/sub -> ../in/sub`, or `out/in -> ../in` when inputs
/// go under their names) would put the copies, repaired, over the inputs.
/// Such a path is refused with its name, the inputs stay byte for byte as
/// they were, and the rest is written. A file link is replaced by the copy.
#[cfg(unix)]
#[test]
fn output_never_writes_through_a_symlink_in_the_output_folder() {
    use std::os::unix::fs::symlink;
    let tree = Tree::new();
    let spun = "The Joint Chiefs of Employees met in the White Home.\n";
    tree.write("in/a.txt", spun);
    tree.write("in/sub/b.txt", spun);
    tree.write("in/sub/deep/c.txt", spun);
    tree.write("other/d.txt", spun);
    std::fs::create_dir_all(tree.path("out")).unwrap();
    symlink("../in/sub", tree.path("out/sub")).unwrap();
    symlink("../in/a.txt", tree.path("out/a.txt")).unwrap();
    let before = tree.files("in");
    let run = tree.unspin().args(["-o", "out", "in"]).assert().code(2);
    let err = stderr_of(&run);
    for rel in ["sub/b.txt", "sub/deep/c.txt"] {
        assert!(
            err.contains(&format!(
                "out/{rel}: not written: out/sub is a symlink in the -o folder, which is never written through"
            )),
            "{err}"
        );
    }
    assert_eq!(tree.files("in"), before);
    for rel in ["in/a.txt", "in/sub/b.txt", "in/sub/deep/c.txt"] {
        assert_eq!(text(&tree.read(rel)), spun, "{rel}");
    }
    let repaired = text(&repaired(spun.as_bytes()));
    assert_ne!(repaired, spun);
    assert!(!std::fs::symlink_metadata(tree.path("out/a.txt"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(text(&tree.read("out/a.txt")), repaired);

    // Inputs under their names: `out2/in` is the link.
    std::fs::create_dir_all(tree.path("out2")).unwrap();
    symlink("../in", tree.path("out2/in")).unwrap();
    let run = tree
        .unspin()
        .args(["-o", "out2", "in", "other"])
        .assert()
        .code(2);
    let err = stderr_of(&run);
    assert!(
        err.contains("out2/in/a.txt: not written: out2/in is a symlink in the -o folder"),
        "{err}"
    );
    assert_eq!(tree.files("in"), before);
    assert_eq!(text(&tree.read("in/a.txt")), spun);
    assert_eq!(text(&tree.read("out2/other/d.txt")), repaired);
}

#[cfg(unix)]
#[test]
fn write_in_place_is_atomic_keeps_permissions_and_skips_unchanged_files() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let tree = corpus();
    let spun = tree.path("in/spun.txt");
    std::fs::set_permissions(&spun, std::fs::Permissions::from_mode(0o640)).unwrap();
    let clean_before = std::fs::metadata(tree.path("in/clean.txt")).unwrap();
    let empty_before = std::fs::metadata(tree.path("in/nested/empty.txt")).unwrap();
    let run = tree.unspin().args(["-w", "in"]).assert().success();
    let summary = stderr_of(&run);
    assert!(summary.contains("4 files read, 2 changed"), "{summary}");
    assert_eq!(
        tree.read("in/spun.txt"),
        repaired(&fixture("spun_news.txt"))
    );
    assert_eq!(std::fs::metadata(&spun).unwrap().mode() & 0o777, 0o640);
    // Files with nothing to repair are not touched at all.
    for (rel, before) in [
        ("in/clean.txt", clean_before),
        ("in/nested/empty.txt", empty_before),
    ] {
        let after = std::fs::metadata(tree.path(rel)).unwrap();
        assert_eq!(
            (after.ino(), after.mtime_nsec()),
            (before.ino(), before.mtime_nsec()),
            "{rel}"
        );
    }
    assert_eq!(
        tree.read("in/nested/data.bin"),
        b"\x89PNG\0\0 the ministry stated\0"
    );
    assert_eq!(tree.read("in/.hidden/spun.txt"), fixture("spun_news.txt"));
    // The symlink stays a symlink (not followed without -L).
    assert!(std::fs::symlink_metadata(tree.path("in/link.txt"))
        .unwrap()
        .file_type()
        .is_symlink());
    // No temporary file is left behind.
    let leftovers: Vec<String> = tree
        .files("in")
        .into_iter()
        .filter(|f| f.contains(".unspin-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A second run finds nothing to do.
    tree.unspin().args(["--check", "in"]).assert().code(0);
}

/// `-w` replaces a file through a rename, which makes a new inode: the
/// owner and group come with it. As root the file is given to another
/// user first (1234:5678, mode 640, readable by its owner only); as
/// another user, to the user's own ids, which the run must keep too.
#[cfg(unix)]
#[test]
fn write_in_place_keeps_owner_and_group() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let tree = Tree::new();
    let path = tree.write("in/a.txt", "The ministry stated it.\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let mine = std::fs::metadata(&path).unwrap();
    let (uid, gid) = if mine.uid() == 0 {
        (1234, 5678)
    } else {
        (mine.uid(), mine.gid())
    };
    std::os::unix::fs::chown(&path, Some(uid), Some(gid)).unwrap();
    tree.unspin()
        .args(["--edit-penalty", "1", "-q", "-w", "in/a.txt"])
        .assert()
        .success();
    assert_eq!(text(&tree.read("in/a.txt")), "The ministry said it.\n");
    let after = std::fs::metadata(&path).unwrap();
    assert_ne!(after.ino(), mine.ino(), "rewritten through a new file");
    assert_eq!((after.uid(), after.gid()), (uid, gid));
    assert_eq!(after.mode() & 0o7777, 0o640);
}

/// A temporary folder whose filesystem takes `user.` extended attributes:
/// the system's temporary folder or, failing that, /dev/shm (tmpfs). None
/// is a failure, not a skip: the test would prove nothing.
#[cfg(unix)]
fn tree_with_user_xattrs() -> Tree {
    let candidates = [std::env::temp_dir(), PathBuf::from("/dev/shm")];
    for dir in &candidates {
        let Ok(dir) = tempfile::tempdir_in(dir) else {
            continue;
        };
        let probe = dir.path().join("probe");
        std::fs::write(&probe, "").unwrap();
        if xattr::set(&probe, "user.unspin.probe", b"1").is_ok() {
            std::fs::remove_file(&probe).unwrap();
            return Tree { dir };
        }
    }
    panic!("no filesystem among {candidates:?} takes user extended attributes");
}

/// `-w` replaces a file through a rename, which makes a new inode: its
/// extended attributes (user ones, and its POSIX ACL, which is one) are
/// copied onto it first, so none is lost.
#[cfg(unix)]
#[test]
fn write_in_place_keeps_extended_attributes() {
    let tree = tree_with_user_xattrs();
    let path = tree.write("in/a.txt", "The ministry stated it.\n");
    xattr::set(&path, "user.origin", b"crawl 7").unwrap();
    xattr::set(&path, "user.empty", b"").unwrap();
    // A POSIX ACL giving user 1234 read access, as the kernel stores it:
    // a version, then (tag, permissions, id) for each entry.
    let mut acl = 2u32.to_le_bytes().to_vec();
    for (tag, perm, id) in [
        (0x01u16, 6u16, u32::MAX), // owner rw-
        (0x02, 4, 1234),           // user 1234 r--
        (0x04, 4, u32::MAX),       // group r--
        (0x10, 4, u32::MAX),       // mask r--
        (0x20, 0, u32::MAX),       // other ---
    ] {
        acl.extend(tag.to_le_bytes());
        acl.extend(perm.to_le_bytes());
        acl.extend(id.to_le_bytes());
    }
    xattr::set(&path, "system.posix_acl_access", &acl)
        .expect("the test's filesystem takes POSIX ACLs");
    tree.unspin()
        .args(["--edit-penalty", "1", "-q", "-w", "in/a.txt"])
        .assert()
        .success();
    assert_eq!(text(&tree.read("in/a.txt")), "The ministry said it.\n");
    let mut names: Vec<String> = xattr::list(&path)
        .unwrap()
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["system.posix_acl_access", "user.empty", "user.origin"]
    );
    assert_eq!(
        xattr::get(&path, "user.origin").unwrap().as_deref(),
        Some(&b"crawl 7"[..])
    );
    assert_eq!(
        xattr::get(&path, "system.posix_acl_access").unwrap(),
        Some(acl)
    );
    assert_eq!(tree.files("in"), ["a.txt"]);
}

/// A file with several names cannot be replaced by a rename without
/// leaving the other names with the old text: `-w` refuses it, says why,
/// and leaves both names one file.
#[cfg(unix)]
#[test]
fn write_in_place_refuses_hard_linked_files() {
    use std::os::unix::fs::MetadataExt;
    let tree = Tree::new();
    let input = "The ministry stated it.\n";
    tree.write("in/a.txt", input);
    std::fs::hard_link(tree.path("in/a.txt"), tree.path("in/b.txt")).unwrap();
    tree.write("in/c.txt", input);
    let run = tree
        .unspin()
        .args(["--edit-penalty", "1", "-w", "in"])
        .assert()
        .code(2);
    let err = stderr_of(&run);
    assert!(
        err.contains("in/a.txt: not changed: has 2 hard links"),
        "{err}"
    );
    assert!(
        err.contains("in/b.txt: not changed: has 2 hard links"),
        "{err}"
    );
    for name in ["in/a.txt", "in/b.txt"] {
        assert_eq!(text(&tree.read(name)), input);
    }
    let (a, b) = (
        std::fs::metadata(tree.path("in/a.txt")).unwrap(),
        std::fs::metadata(tree.path("in/b.txt")).unwrap(),
    );
    assert_eq!((a.ino(), a.nlink()), (b.ino(), 2));
    // The other files are repaired, and no temporary file is left.
    assert_eq!(text(&tree.read("in/c.txt")), "The ministry said it.\n");
    assert_eq!(tree.files("in"), ["a.txt", "b.txt", "c.txt"]);
}

/// `-w` rewrites regular files only: a named pipe (or a device) named on
/// the command line, directly or through a link, is refused without being
/// opened, so it stays what it is (the rename would have put a regular
/// file in its place, and opening a pipe no one writes to would hang the
/// run); the rest of the batch is repaired.
#[cfg(unix)]
#[test]
fn write_in_place_refuses_what_is_not_a_regular_file() {
    use std::os::unix::fs::FileTypeExt;
    let tree = Tree::new();
    let status = std::process::Command::new("mkfifo")
        .arg(tree.path("pipe"))
        .status()
        .unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink("pipe", tree.path("link")).unwrap();
    tree.write("a.txt", "The ministry stated it.\n");
    let run = tree
        .unspin()
        .args([
            "--edit-penalty",
            "1",
            "-w",
            "pipe",
            "link",
            "/dev/null",
            "a.txt",
        ])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2);
    let err = stderr_of(&run);
    for name in ["pipe", "link"] {
        assert!(
            err.contains(&format!(
                "{name}: a named pipe, not a regular file: -w rewrites only regular files"
            )),
            "{err}"
        );
    }
    assert!(
        err.contains("/dev/null: a device, not a regular file"),
        "{err}"
    );
    assert!(err.contains("3 errors"), "{err}");
    assert!(std::fs::symlink_metadata(tree.path("pipe"))
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(std::fs::symlink_metadata(tree.path("link"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(text(&tree.read("a.txt")), "The ministry said it.\n");
}

/// In a folder, a file named `.html` or `.htm` is a page even when it
/// starts with its text (a saved fragment): its links stay as written.
#[test]
fn html_names_in_folders_are_read_as_pages() {
    let tree = Tree::new();
    let fragment = "The ministry stated, <a href=\"/white-home/officers-mentioned\">the White Home</a> welcomed it.\n";
    for name in ["a.html", "b.HTM", "c.txt"] {
        tree.write(&format!("in/{name}"), fragment);
    }
    tree.unspin()
        .args(["--edit-penalty", "1", "-q", "-o", "out", "in"])
        .assert()
        .success();
    let page = fragment
        .replace("ministry stated", "ministry said")
        .replace("White Home<", "White House<");
    assert_eq!(text(&tree.read("out/a.html")), page);
    assert_eq!(text(&tree.read("out/b.HTM")), page);
    // A .txt file is text: its markup is words like any other.
    assert!(text(&tree.read("out/c.txt")).contains("/white-house/"));
}

/// A JSON Lines file in a folder repaired as text would have its keys and
/// other fields rewritten ("stated": true): under -w and -o it is left as
/// it is unless --input-format jsonl says how to read it.
#[test]
fn json_lines_files_are_not_rewritten_as_text() {
    let tree = Tree::new();
    let record = "{\"stated\":true,\"text\":\"The White Home stated it.\"}\n";
    tree.write("in/a.jsonl", record);
    tree.write("in/b.NDJSON", record);
    tree.write("in/c.txt", "The White Home stated it.\n");
    let run = tree.unspin().args(["-w", "in"]).assert().success();
    assert_eq!(text(&tree.read("in/a.jsonl")), record);
    assert_eq!(text(&tree.read("in/b.NDJSON")), record);
    assert_eq!(text(&tree.read("in/c.txt")), "The White House said it.\n");
    assert!(text(&run.get_output().stderr).contains("in/a.jsonl: JSON Lines by its name, skipped"));
    tree.unspin()
        .args(["-w", "--input-format", "jsonl", "in/a.jsonl"])
        .assert()
        .success();
    assert!(text(&tree.read("in/a.jsonl"))
        .starts_with("{\"stated\":true,\"text\":\"The White House said it.\""));
}

/// A page too large to read whole (over 64 MiB) comes out as it went in,
/// not as nothing: on standard output among other files, in order, with
/// an error naming it.
#[test]
fn a_page_too_large_to_read_passes_through_unrepaired() {
    let tree = Tree::new();
    let mut page = b"<!DOCTYPE html><p>The White Home stated it.</p>\n".to_vec();
    page.resize(65 << 20, b'a');
    page.push(b'\n');
    tree.write("huge.html", &page);
    tree.write("after.txt", "The White Home stated it.\n");
    let run = tree
        .unspin()
        .args(["huge.html", "after.txt"])
        .assert()
        .code(2);
    let out = &run.get_output().stdout;
    assert_eq!(out.len(), page.len() + "The White House said it.\n".len());
    assert!(out[..page.len()] == page[..], "the page was changed");
    assert_eq!(&out[page.len()..], b"The White House said it.\n");
    let stderr = text(&run.get_output().stderr);
    assert!(
        stderr.contains("huge.html: an HTML page over 64 MiB"),
        "{stderr}"
    );
    assert!(stderr.contains("passed through unrepaired"), "{stderr}");
}

#[test]
fn check_exit_codes() {
    let tree = corpus();
    let before = tree.files("in");
    tree.unspin()
        .args(["--check", "in"])
        .assert()
        .code(1)
        .stdout("");
    assert_eq!(tree.files("in"), before);
    assert_eq!(tree.read("in/spun.txt"), fixture("spun_news.txt"));
    tree.write("clean/a.txt", fixture("clean_news.txt"));
    tree.write("clean/b/c.txt", "");
    tree.unspin()
        .args(["--check", "clean"])
        .assert()
        .code(0)
        .stdout("");
    // A folder too: nothing but errors, unless --stats.
    tree.unspin()
        .args(["--check", "in"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("");
    let out = tree
        .unspin()
        .args(["--check", "--stats", "in"])
        .assert()
        .code(1)
        .stdout("");
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("would change"), "{err}");
    tree.unspin()
        .args(["--check", "clean", "missing"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("missing: no such file"));
    // An error outranks a change.
    tree.unspin()
        .args(["--check", "in", "missing"])
        .assert()
        .code(2);
    // Single file, quietly.
    tree.unspin()
        .args(["--check", "in/spun.txt"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("");
}

#[test]
fn diff_of_a_folder_is_one_diff_per_changed_file() {
    let tree = corpus();
    let run = tree
        .unspin()
        .args(["--diff", "-j2", "in"])
        .assert()
        .success();
    let diff = stdout_of(&run);
    let headers: Vec<&str> = diff.lines().filter(|l| l.starts_with("--- a/")).collect();
    let mut sorted = headers.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        ["--- a/in/nested/deeper/crlf.txt", "--- a/in/spun.txt"]
    );
    assert!(diff.contains("\n-The chairman of the Joint Chiefs of Employees"));
    assert!(diff.contains("\n+The chairman of the Joint Chiefs of Staff"));
    // Each file's diff is in one piece: its hunks follow its header.
    for part in diff.split("--- a/").skip(1) {
        let name = part.lines().next().unwrap();
        assert!(part.lines().nth(1).unwrap() == format!("+++ b/{name}"));
    }
    assert_eq!(tree.read("in/spun.txt"), fixture("spun_news.txt"));
}

#[test]
fn diff_applies_with_patch() {
    if std::process::Command::new("patch")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let tree = corpus();
    let run = tree.unspin().args(["--diff", "in"]).assert().success();
    tree.write("fix.diff", &run.get_output().stdout);
    let status = std::process::Command::new("patch")
        .args(["-p1", "-s", "-i", "fix.diff"])
        .current_dir(tree.path(""))
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        tree.read("in/spun.txt"),
        repaired(&fixture("spun_news.txt"))
    );
    assert_eq!(
        tree.read("in/nested/deeper/crlf.txt"),
        repaired(&crlf(&fixture("spun_news.txt")))
    );
}

/// File names with a space, a tab, a line break or bytes that are not
/// UTF-8 are written in the diff headers as git writes them (a space
/// ended by a tab, the rest quoted C-style with octal escapes), so that
/// `patch -p1` finds every file.
#[cfg(unix)]
#[test]
fn diff_headers_name_awkward_files_so_that_patch_applies() {
    use std::os::unix::ffi::OsStrExt;
    if std::process::Command::new("patch")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let tree = Tree::new();
    let spun = "The ministry stated it.\n";
    let names: [&[u8]; 4] = [
        b"my file.txt",
        b"tab\there.txt",
        b"new\nline.txt",
        b"caf\xe9 \"q\".txt",
    ];
    let dir = tree.path("in");
    std::fs::create_dir_all(&dir).unwrap();
    for name in names {
        std::fs::write(dir.join(std::ffi::OsStr::from_bytes(name)), spun).unwrap();
    }
    let run = tree
        .unspin()
        .args(["--edit-penalty", "1", "-j1", "--diff", "in"])
        .assert()
        .success();
    let diff = run.get_output().stdout.clone();
    assert!(
        diff.windows(18).any(|w| w == b"--- a/in/my file.t"),
        "{}",
        text(&diff)
    );
    assert!(
        text(&diff).contains("--- \"a/in/tab\\there.txt\"\n"),
        "{}",
        text(&diff)
    );
    assert!(
        text(&diff).contains("+++ \"b/in/caf\\351 \\\"q\\\".txt\"\n"),
        "{}",
        text(&diff)
    );
    tree.write("fix.diff", &diff);
    let status = std::process::Command::new("patch")
        .args(["-p1", "-s", "-i", "fix.diff"])
        .current_dir(tree.path(""))
        .status()
        .unwrap();
    assert!(status.success());
    for name in names {
        let now = std::fs::read(dir.join(std::ffi::OsStr::from_bytes(name))).unwrap();
        assert_eq!(
            text(&now),
            "The ministry said it.\n",
            "{}",
            String::from_utf8_lossy(name)
        );
    }
}

#[test]
fn json_lines_one_object_per_edit_then_a_summary() {
    let tree = corpus();
    let run = tree
        .unspin()
        .args(["--format", "json", "in"])
        .assert()
        .success();
    let lines: Vec<serde_json::Value> = stdout_of(&run)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (summary, edits) = lines.split_last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["files"], 4);
    assert_eq!(summary["changed"], 2);
    assert_eq!(summary["binary_skipped"], 1);
    assert_eq!(summary["edits"], edits.len());
    assert!(edits.len() >= 10);
    for edit in edits {
        assert_eq!(edit["type"], "edit");
        let path = edit["path"].as_str().unwrap();
        let bytes = tree.read(path);
        let (start, end) = (
            edit["byte_start"].as_u64().unwrap() as usize,
            edit["byte_end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            &bytes[start..end],
            edit["spun"].as_str().unwrap().as_bytes()
        );
        let line = bytes[..start].iter().filter(|&&b| b == b'\n').count() + 1;
        assert_eq!(edit["line"], line);
        for key in ["restored", "source"] {
            assert!(edit[key].is_string(), "{edit}");
        }
        assert!(edit["score"].is_number());
    }
}

#[cfg(unix)]
#[test]
fn json_paths_that_are_not_utf8_come_with_base64_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let tree = Tree::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::create_dir(tree.path("in")).unwrap();
    std::fs::write(
        tree.path("in").join(name),
        "The Joint Chiefs of Employees met.\n",
    )
    .unwrap();
    let run = tree
        .unspin()
        .args(["--format", "json", "in"])
        .assert()
        .success();
    let first: serde_json::Value =
        serde_json::from_str(stdout_of(&run).lines().next().unwrap()).unwrap();
    assert_eq!(first["path"], "in/caf\u{FFFD}.txt");
    // base64 of "in/caf\xe9.txt"
    assert_eq!(first["path_base64"], "aW4vY2Fm6S50eHQ=");
    assert_eq!(first["spun"], "Joint Chiefs of Employees");
}

#[test]
fn hidden_files_need_hidden_and_vcs_folders_are_never_entered() {
    let tree = corpus();
    tree.write("in/.git/COMMIT_EDITMSG", fixture("spun_news.txt"));
    tree.unspin()
        .args(["-o", "out", "--hidden", "in"])
        .assert()
        .success();
    assert!(tree.exists("out/.hidden/spun.txt"));
    assert!(!tree.exists("out/.git"));
    tree.unspin().args(["-o", "out2", "in"]).assert().success();
    assert!(!tree.exists("out2/.hidden"));
    // A hidden file named on the command line is repaired.
    tree.unspin()
        .arg("in/.hidden/spun.txt")
        .assert()
        .success()
        .stdout(repaired(&fixture("spun_news.txt")));
}

#[test]
fn gitignore_is_honoured_only_when_asked() {
    let tree = corpus();
    tree.write("in/.gitignore", "clean.txt\nnested/\n");
    tree.unspin().args(["-o", "all", "in"]).assert().success();
    assert!(tree.exists("all/clean.txt") && tree.exists("all/nested/empty.txt"));
    tree.unspin()
        .args(["-o", "some", "--gitignore", "in"])
        .assert()
        .success();
    assert!(!tree.exists("some/clean.txt") && !tree.exists("some/nested"));
    assert!(tree.exists("some/spun.txt"));
}

#[test]
fn glob_picks_files_in_folders() {
    let tree = corpus();
    tree.unspin()
        .args(["-o", "out", "-g", "*.txt", "-g", "!empty*", "in"])
        .assert()
        .success();
    assert_eq!(
        tree.files("out"),
        ["clean.txt", "nested/deeper/crlf.txt", "spun.txt"]
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_with_follow_only() {
    let tree = corpus();
    tree.unspin()
        .args(["-o", "out", "-L", "in"])
        .assert()
        .success();
    let copy = tree.path("out/link.txt");
    assert!(!copy.symlink_metadata().unwrap().file_type().is_symlink());
    assert_eq!(
        tree.read("out/link.txt"),
        tree.read("out/nested/deeper/crlf.txt")
    );

    // -w -L through a link repairs the file it points to; the link stays.
    let run = tree
        .unspin()
        .args(["-w", "-L", "in/link.txt"])
        .assert()
        .success();
    assert!(stderr_of(&run).contains("1 file read, 1 changed"));
    let link = tree.path("in/link.txt");
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert_eq!(
        tree.read("in/nested/deeper/crlf.txt"),
        repaired(&crlf(&fixture("spun_news.txt")))
    );

    // A dangling link met with -L is an error naming it; the rest goes on.
    std::os::unix::fs::symlink("nowhere.txt", tree.path("in/dangling.txt")).unwrap();
    let run = tree
        .unspin()
        .args(["-o", "out3", "-L", "in"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&run).contains("dangling.txt"),
        "{}",
        stderr_of(&run)
    );
    assert!(tree.exists("out3/spun.txt"));

    // A symlinked folder named on the command line is walked.
    std::os::unix::fs::symlink("in/nested", tree.path("nested-link")).unwrap();
    tree.unspin()
        .args(["-o", "out4", "nested-link"])
        .assert()
        .success();
    assert!(tree.exists("out4/deeper/crlf.txt"));
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported_and_the_batch_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let tree = corpus();
    let secret = tree.write("in/secret.txt", "The Joint Chiefs of Employees met.\n");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = tree.unspin().args(["-o", "out", "in"]).assert();
    if std::fs::read(&secret).is_ok() {
        // Running as root: permissions do not stop reads.
        run.success();
        return;
    }
    let run = run.code(2);
    assert!(stderr_of(&run).contains("in/secret.txt: permission denied"));
    assert!(tree.exists("out/spun.txt") && !tree.exists("out/secret.txt"));
}

#[test]
fn a_failed_write_is_reported_and_the_rest_is_written() {
    let tree = corpus();
    // Something in the way: a folder where the copy of spun.txt should go.
    std::fs::create_dir_all(tree.path("out/spun.txt/blocker")).unwrap();
    let run = tree.unspin().args(["-o", "out", "in"]).assert().code(2);
    let stderr = stderr_of(&run);
    assert!(stderr.contains("out/spun.txt: cannot write"), "{stderr}");
    assert!(stderr.contains("1 error"), "{stderr}");
    assert_eq!(tree.read("out/clean.txt"), fixture("clean_news.txt"));
    assert!(tree.exists("out/nested/deeper/crlf.txt"));
    let leftovers: Vec<String> = tree
        .files("out")
        .into_iter()
        .filter(|f| f.contains(".unspin-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn quiet_says_nothing_and_stdin_piping_stays_silent() {
    let tree = corpus();
    tree.unspin()
        .args(["-q", "-o", "out", "in"])
        .assert()
        .success()
        .stderr("");
    unspin()
        .write_stdin(fixture("spun_news.txt"))
        .assert()
        .success()
        .stderr("");
    tree.unspin()
        .args(["--stats", "in/spun.txt"])
        .assert()
        .success()
        .stderr(predicates::str::contains("1 file read, 1 changed"));
}

#[test]
fn binary_flag_repairs_binary_files() {
    let tree = corpus();
    // Four words with one weak cue are no evidence of spinning: the fixed
    // penalty takes the prior out of what this test is about.
    tree.unspin()
        .args(["-o", "out", "--binary", "--edit-penalty", "1", "in"])
        .assert()
        .success();
    assert_eq!(
        tree.read("out/nested/data.bin"),
        b"\x89PNG\0\0 the ministry said\0"
    );
}

/// A file that looks binary is not rewritten by `-w` or `-o` even when
/// it is named on the command line (repairing the words in a program
/// corrupts it): it gets a note, `-o` copies it as it is, the rest of the
/// batch is written, and the run succeeds as for a binary file in a
/// folder. `--binary` repairs it; on stdout a named file is repaired as
/// asked.
#[test]
fn named_binary_files_are_not_rewritten_without_binary() {
    let tree = Tree::new();
    let binary: &[u8] = b"\x7fELF\0\0 the ministry stated\0";
    tree.write("prog", binary);
    tree.write("a.txt", "The ministry stated it.\n");
    let run = tree
        .unspin()
        .args(["--edit-penalty", "1", "-w", "prog", "a.txt"])
        .assert()
        .success();
    let err = stderr_of(&run);
    assert!(
        err.contains("prog: binary file skipped (--binary repairs it)"),
        "{err}"
    );
    assert!(err.contains("1 binary file skipped"), "{err}");
    assert_eq!(tree.read("prog"), binary);
    assert_eq!(text(&tree.read("a.txt")), "The ministry said it.\n");

    tree.unspin()
        .args(["--edit-penalty", "1", "-q", "-o", "out", "prog"])
        .assert()
        .success();
    assert_eq!(tree.read("out/prog"), binary);

    let repaired_binary: &[u8] = b"\x7fELF\0\0 the ministry said\0";
    let run = tree
        .unspin()
        .args(["--edit-penalty", "1", "prog"])
        .assert()
        .success();
    assert_eq!(run.get_output().stdout, repaired_binary);
    tree.unspin()
        .args(["--edit-penalty", "1", "-q", "--binary", "-w", "prog"])
        .assert()
        .success();
    assert_eq!(tree.read("prog"), repaired_binary);
}

/// The ratio of a mapper's run: JSON Lines in, JSON Lines out.
#[test]
fn json_lines_records_are_repaired_in_place_of_their_text() {
    let tree = Tree::new();
    let spun = "The chairman of the Joint Chiefs of Employees stated so.";
    let mut input = String::new();
    for i in 0..300 {
        let body = if i % 3 == 0 {
            spun
        } else {
            "A clean sentence."
        };
        input.push_str(&format!(
            "{{\"id\":{i},\"body\":{},\"url\":\"u{i}\"}}\n",
            serde_json::json!(body)
        ));
    }
    input.push_str("{\"id\":300}\n");
    for threads in ["1", "2"] {
        let run = unspin()
            .args([
                "--input-format",
                "jsonl",
                "--format",
                "jsonl",
                "--text-field",
                "body",
                "-j",
                threads,
            ])
            .write_stdin(input.clone())
            .assert()
            .success()
            .stderr("");
        let out = stdout_of(&run);
        let records: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(records.len(), 301);
        for (i, record) in records.iter().enumerate() {
            assert_eq!(record["id"], i);
            if i == 300 {
                assert_eq!(record["unspin_edits"], serde_json::json!([]));
            } else if i % 3 == 0 {
                assert!(record["body"]
                    .as_str()
                    .unwrap()
                    .contains("Joint Chiefs of Staff"));
                let edit = &record["unspin_edits"][0];
                let start = edit["byte_start"].as_u64().unwrap() as usize;
                let end = edit["byte_end"].as_u64().unwrap() as usize;
                assert_eq!(&spun[start..end], edit["spun"].as_str().unwrap());
            } else {
                assert_eq!(record["body"], "A clean sentence.");
            }
        }
        // Keys keep their order; the edits come last.
        assert!(out.starts_with("{\"id\":0,\"body\":"), "{out}");
        assert!(out
            .lines()
            .next()
            .unwrap()
            .contains("\"url\":\"u0\",\"unspin_edits\":["));
    }
    // Files of records mirror too, and a bad line is reported by number.
    tree.write(
        "in/part-0000.jsonl",
        format!("{{\"text\":{}}}\nnot json\n", serde_json::json!(spun)),
    );
    let run = tree
        .unspin()
        .args(["--input-format", "jsonl", "-o", "out", "in"])
        .assert()
        .code(2);
    assert!(stderr_of(&run).contains("in/part-0000.jsonl: line 2: not JSON"));
    let out = text(&tree.read("out/part-0000.jsonl"));
    assert!(
        out.contains("Joint Chiefs of Staff") && out.ends_with("\nnot json\n"),
        "{out}"
    );
}

/// `-w` on JSON Lines writes back the user's own bytes: numbers past 64
/// bits, `2.50`, `1e2`, `\u00e9` escapes, CRLF endings and a field named
/// `edits` all survive; only the repaired words and the added edits key
/// differ. A record that already has the edits key is left as it is.
#[test]
fn json_lines_in_place_keeps_every_byte_outside_the_repaired_words() {
    let tree = Tree::new();
    let lines = [
        "{\"id\":1,\"edits\":[\"my log\"],\"text\":\"officers mentioned\"}\r\n",
        "{\"n\":123456789012345678901234567890,\"p\":2.50,\"e\":1e2,\"s\":\"caf\\u00e9\", \"text\" : \"the ministry stated\" }\r\n",
        "{\"text\":\"A clean line.\"}\r\n",
        "{\"unspin_edits\":[],\"text\":\"officers mentioned\"}\n",
    ];
    let input = lines.concat();
    tree.write("in/a.jsonl", &input);
    let run = tree
        .unspin()
        .args([
            "--edit-penalty",
            "1",
            "--input-format",
            "jsonl",
            "-w",
            "in/a.jsonl",
        ])
        .assert()
        .code(2);
    assert!(
        stderr_of(&run)
            .contains("in/a.jsonl: line 4: the record already has a field `unspin_edits`"),
        "{}",
        stderr_of(&run)
    );
    let out = text(&tree.read("in/a.jsonl"));
    let out: Vec<&str> = out.split_inclusive('\n').collect();
    assert_eq!(out.len(), 4);
    let strip_edits = |line: &str| {
        let at = line.find(",\"unspin_edits\":[").unwrap();
        let end = at + line[at..].find(']').unwrap();
        let end = if line[at..end].contains('{') {
            at + line[at..].find("}]").unwrap() + 1
        } else {
            end
        };
        format!("{}{}", &line[..at], &line[end + 1..])
    };
    assert_eq!(
        strip_edits(out[0]),
        lines[0].replace("mentioned", "said"),
        "{}",
        out[0]
    );
    assert_eq!(
        strip_edits(out[1]),
        lines[1].replace("stated", "said"),
        "{}",
        out[1]
    );
    assert_eq!(strip_edits(out[2]), lines[2]);
    assert_eq!(out[3], lines[3]);
    let record: serde_json::Value = serde_json::from_str(out[1]).unwrap();
    assert_eq!(record["unspin_edits"][0]["spun"], "stated");
}

#[test]
fn json_lines_fields_that_cannot_work_are_refused_or_reported() {
    let record = "{\"body\":\"officers mentioned\"}\n";
    let run = unspin()
        .args(["--input-format", "jsonl", "--text-field", "unspin_edits"])
        .write_stdin(record)
        .assert()
        .code(2)
        .stdout("");
    assert!(stderr_of(&run).contains("--text-field and --edits-field are both `unspin_edits`"));
    // A field no record has: every line passes through, and the run says so.
    let run = unspin()
        .args(["--input-format", "jsonl", "--text-field", "txt"])
        .write_stdin(record)
        .assert()
        .code(2);
    assert_eq!(
        stdout_of(&run),
        "{\"body\":\"officers mentioned\",\"unspin_edits\":[]}\n"
    );
    assert!(stderr_of(&run).contains("no record has a field `txt`"));
    // --edits-field picks the key.
    let run = unspin()
        .args([
            "--edit-penalty",
            "1",
            "--input-format",
            "jsonl",
            "--text-field",
            "body",
            "--edits-field",
            "fixes",
        ])
        .write_stdin(record)
        .assert()
        .success();
    assert!(stdout_of(&run).starts_with("{\"body\":\"officers said\",\"fixes\":[{"));
}

#[test]
fn json_lines_input_refuses_diff_and_text_output() {
    unspin()
        .args(["--input-format", "jsonl", "--diff"])
        .write_stdin("{}\n")
        .assert()
        .code(2);
    // Its output is the records as JSON Lines: --format json says so, the
    // others do not apply.
    for format in ["json", "jsonl"] {
        unspin()
            .args(["--input-format", "jsonl", "--format", format])
            .write_stdin("{\"text\":\"\"}\n")
            .assert()
            .success()
            .stdout("{\"text\":\"\",\"unspin_edits\":[]}\n");
    }
    for format in ["text", "brief"] {
        let out = unspin()
            .args(["--input-format", "jsonl", "--format", format])
            .write_stdin("{}\n")
            .assert()
            .code(2)
            .stdout("");
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains(&format!("--format {format} does not apply")),
            "{err}"
        );
    }
}

/// 50 MB in 256 KiB chunks: offsets and lines stay absolute across chunks,
/// every copy is repaired, -j1 and -j2 agree, and Ctrl-C leaves no
/// half-written file.
#[test]
fn fifty_megabyte_file() {
    let tree = Tree::new();
    let filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit 12345.\n";
    let spun = "The Joint Chiefs of Employees met.\r\n";
    let block = filler.repeat(999) + spun;
    let copies = 50 * 1000 * 1000 / block.len() + 1;
    let input = block.repeat(copies);
    let path = tree.write("big.txt", &input);
    let expected = input.replace("Employees", "Staff");

    tree.unspin()
        .args(["-q", "-j1", "-o", "out1", "big.txt"])
        .assert()
        .success();
    assert!(
        tree.read("out1/big.txt") == expected.as_bytes(),
        "-j1 output differs"
    );
    tree.unspin()
        .args(["-q", "-j2", "-o", "out2", "big.txt"])
        .assert()
        .success();
    assert!(
        tree.read("out2/big.txt") == expected.as_bytes(),
        "-j2 output differs"
    );

    let run = tree
        .unspin()
        .args(["-j2", "--format", "json", "big.txt"])
        .assert()
        .success();
    let out = stdout_of(&run);
    let records: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), copies + 1);
    for (k, edit) in records[..copies].iter().enumerate() {
        assert_eq!(edit["line"], (k + 1) * 1000, "{edit}");
        let start = edit["byte_start"].as_u64().unwrap() as usize;
        assert_eq!(start, k * block.len() + 999 * filler.len() + "The ".len());
        assert_eq!(
            edit["byte_end"].as_u64().unwrap() as usize,
            start + "Joint Chiefs of Employees".len()
        );
    }

    // Ctrl-C in the middle of -w: the file is the old one or the new one.
    #[cfg(unix)]
    {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("unspin"))
            .args(["-q", "-j1", "-w", "big.txt"])
            .current_dir(tree.path(""))
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(150));
        let _ = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let status = child.wait().unwrap();
        let now = std::fs::read(&path).unwrap();
        // The signal usually comes mid-run, but may come after the file was
        // renamed into place (the run takes a few hundred ms): either way
        // the file is whole, never partly written.
        match status.code() {
            Some(130) | None => assert!(
                now == input.as_bytes() || now == expected.as_bytes(),
                "interrupted, and the file is neither the old nor the new one"
            ),
            Some(0) => assert!(now == expected.as_bytes()),
            other => panic!("exit status {other:?}"),
        }
        assert_eq!(tree.files(""), ["big.txt", "out1/big.txt", "out2/big.txt"]);
    }
}

/// Small chunks (the hidden --chunk-size) put edits in later chunks: -w
/// copies the untouched start of the file, --diff still applies, and every
/// mode agrees with a run that reads the file in one piece. (At a fixed
/// edit penalty: the document prior weighs each chunk on its own.)
#[test]
fn edits_in_later_chunks() {
    let tree = Tree::new();
    let mut input = "A clean line with nothing to change.\n".repeat(40);
    input.push_str("The Joint Chiefs of Employees met.\n");
    input.push_str(&"More clean text here.\n".repeat(5));
    input.push_str("The ministry stated it had no comment");
    tree.write("in/a.txt", &input);
    tree.write("whole/a.txt", &input);
    tree.unspin()
        .args(["-q", "--edit-penalty", "1", "-o", "expected", "whole"])
        .assert()
        .success();
    let expected = tree.read("expected/a.txt");
    assert_ne!(expected, input.as_bytes());

    let run = tree
        .unspin()
        .args([
            "--chunk-size",
            "100",
            "--edit-penalty",
            "1",
            "--diff",
            "in/a.txt",
        ])
        .assert()
        .success();
    tree.write("fix.diff", &run.get_output().stdout);
    tree.unspin()
        .args([
            "--chunk-size",
            "100",
            "--edit-penalty",
            "1",
            "-j2",
            "-w",
            "in",
        ])
        .assert()
        .success();
    assert_eq!(tree.read("in/a.txt"), expected);

    if std::process::Command::new("patch")
        .arg("--version")
        .output()
        .is_ok()
    {
        tree.write("patched/a.txt", &input);
        let status = std::process::Command::new("patch")
            .args(["-s", "patched/a.txt", "fix.diff"])
            .current_dir(tree.path(""))
            .status()
            .unwrap();
        assert!(status.success());
        assert_eq!(tree.read("patched/a.txt"), expected);
    }
}

/// The mapper commands the documentation gives for Hadoop Streaming and
/// Spark (in the README or any page under docs/), run as those systems run
/// them: the command line through a shell with unspin on the PATH, input
/// records on stdin, one output line per record.
#[test]
fn documented_mapper_commands_work() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .map(|dir| dir.map(|entry| entry.unwrap().path()).collect())
        .unwrap_or_default();
    docs.sort();
    pages.extend(
        docs.into_iter()
            .filter(|p| p.extension() == Some("md".as_ref())),
    );
    // Every `start ... end` span of every page.
    let all_between = |start: &str, end: &str| -> Vec<String> {
        let mut found = Vec::new();
        for page in &pages {
            let text = std::fs::read_to_string(page).unwrap();
            let mut rest = text.as_str();
            while let Some(at) = rest.find(start) {
                rest = &rest[at + start.len()..];
                let len = rest.find(end).unwrap();
                found.push(rest[..len].to_string());
                rest = &rest[len..];
            }
        }
        assert!(
            !found.is_empty(),
            "no page of the documentation has {start}"
        );
        found
    };
    let hadoop = all_between("-mapper '", "'");
    let spark = all_between("rdd.pipe(\"", "\")");
    let bin = assert_cmd::cargo::cargo_bin("unspin");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut input = String::new();
    for i in 0..50 {
        input.push_str(&format!(
            "{{\"id\":{i},\"text\":\"The chairman of the Joint Chiefs of Employees stated {i}.\"}}\n"
        ));
    }
    for command in hadoop.into_iter().chain(spark) {
        // The guide names the binary by an absolute path where the engine
        // starts it without a PATH (Spark's `pipe`): run the built one.
        let command = match command.split_once(' ') {
            Some((program, rest)) if program.starts_with('/') && program.ends_with("/unspin") => {
                format!("{} {rest}", bin.display())
            }
            _ => command,
        };
        let out = Command::new("sh")
            .args(["-c", &command])
            .env("PATH", &path)
            .write_stdin(input.clone())
            .assert()
            .success()
            .stderr("");
        let lines: Vec<serde_json::Value> = stdout_of(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 50, "{command}");
        for (i, record) in lines.iter().enumerate() {
            assert_eq!(record["id"], i);
            let text = record["text"].as_str().unwrap();
            assert!(
                text.contains("Joint Chiefs of Staff said"),
                "{command}: {text}"
            );
        }
    }
}

/// SIGTERM (`timeout`, docker, systemd) and SIGHUP are handled as Ctrl-C
/// is during `-w`: the run stops, its temporary file is deleted, and the
/// file is its old or its new self. The signal is sent once the temporary
/// file exists, so it always comes in the middle of the rewrite.
#[cfg(unix)]
#[test]
fn termination_signals_leave_no_temporary_file() {
    let tree = Tree::new();
    let block = "The ministry stated it would meet the officers.\n".repeat(1000);
    let input = block.repeat(40);
    for signal in ["TERM", "HUP"] {
        let path = tree.write("in/big.txt", &input);
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("unspin"))
            .args(["--edit-penalty", "1", "-q", "-j1", "-w", "in/big.txt"])
            .current_dir(tree.path(""))
            .spawn()
            .unwrap();
        let temp_exists = || tree.files("in").iter().any(|f| f.contains(".unspin-"));
        let mut running = true;
        while !temp_exists() {
            if child.try_wait().unwrap().is_some() {
                running = false;
                break;
            }
            std::thread::yield_now();
        }
        assert!(running, "SIG{signal}: the run ended before writing");
        let _ = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status();
        let status = child.wait().unwrap();
        let now = std::fs::read(&path).unwrap();
        assert!(
            now == input.as_bytes() || now == input.replace("stated", "said").as_bytes(),
            "SIG{signal}: the file is neither the old nor the new one"
        );
        assert_eq!(tree.files("in"), ["big.txt"], "SIG{signal}: {status:?}");
    }
}
