//! Integration tests: they run the real `unspin` binary on fixture files.

use assert_cmd::Command;
use predicates::prelude::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn unspin() -> Command {
    Command::cargo_bin("unspin").unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

#[test]
fn repairs_spun_news_from_stdin() {
    let out = unspin()
        .write_stdin(read("spun_news.txt"))
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for restored in [
        "Chinese counterpart",
        "in over a year",
        "Joint Chiefs of Staff",
        "People’s Liberation Army",
        "House of Representatives",
        "White House",
    ] {
        assert!(text.contains(restored), "missing {restored:?} in:\n{text}");
    }
    for spun in ["Chinese language", "12 months", "Employees", "Individuals"] {
        assert!(!text.contains(spun), "left {spun:?} in:\n{text}");
    }
}

#[test]
fn clean_text_passes_through_byte_for_byte() {
    let input = read("clean_news.txt");
    unspin()
        .write_stdin(input.clone())
        .assert()
        .success()
        .stdout(input);
}

#[test]
fn unrepaired_bytes_pass_through_unchanged() {
    let input = read("mixed_bytes.txt");
    let expected: Vec<u8> = String::from_utf8_lossy(&input)
        .contains("White Home")
        .then(|| {
            let mut out = Vec::new();
            let at = input.windows(10).position(|w| w == b"White Home").unwrap();
            out.extend_from_slice(&input[..at]);
            out.extend_from_slice(b"White House");
            out.extend_from_slice(&input[at + 10..]);
            out
        })
        .unwrap();
    // Nine words are little evidence of spinning; a fixed penalty keeps
    // this test about the bytes around the repair.
    unspin()
        .args(["--edit-penalty", "1"])
        .arg(fixture("mixed_bytes.txt"))
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn several_files_and_stdin_in_order() {
    let clean = read("clean_news.txt");
    let out = unspin()
        .arg(fixture("clean_news.txt"))
        .arg("-")
        .arg(fixture("clean_news.txt"))
        .write_stdin("stdin text\n")
        .assert()
        .success();
    let mut expected = clean.clone();
    expected.extend_from_slice(b"stdin text\n");
    expected.extend_from_slice(&clean);
    assert_eq!(out.get_output().stdout, expected);
}

#[test]
fn empty_input_gives_empty_output() {
    unspin().write_stdin("").assert().success().stdout("");
}

#[test]
fn missing_file_is_one_line_naming_it_and_the_rest_goes_on() {
    let out = unspin()
        .arg("no/such/file.txt")
        .arg(fixture("clean_news.txt"))
        .assert()
        .code(2)
        .stdout(read("clean_news.txt"));
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr, "unspin: no/such/file.txt: no such file\n");
}

#[test]
fn directory_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    unspin().arg(dir.path()).assert().code(2).stderr(
        predicate::str::contains("is a directory")
            .and(predicate::str::contains(dir.path().display().to_string())),
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.txt");
    std::fs::write(&path, "text").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        return; // running as root: permissions do not stop reads
    }
    unspin()
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("secret.txt: permission denied"));
}

#[test]
fn twenty_megabyte_single_line() {
    let sentence = "The officers stated that the Joint Chiefs of Employees met. ";
    let repaired = "The officers said that the Joint Chiefs of Staff met. ";
    let n = 20 * 1024 * 1024 / sentence.len();
    let out = unspin().write_stdin(sentence.repeat(n)).assert().success();
    assert!(out.get_output().stdout == repaired.repeat(n).into_bytes());
}

#[test]
fn diff_shows_changed_lines_only() {
    let out = unspin()
        .arg("--diff")
        .arg(fixture("spun_news.txt"))
        .assert()
        .success();
    let diff = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(diff.starts_with("--- a/"), "{diff}");
    assert!(diff.contains("\n+++ b/"));
    assert!(diff.contains("\n-The chairman of the Joint Chiefs of Employees"));
    assert!(diff.contains("\n+The chairman of the Joint Chiefs of Staff"));
    unspin()
        .arg("--diff")
        .arg(fixture("clean_news.txt"))
        .assert()
        .success()
        .stdout("");
}

#[test]
fn user_dictionary_csv_and_compiled() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("mine.csv");
    std::fs::write(
        &csv,
        "spun,original,weight,source,confidence\nprofound learning,deep learning,-0.1,mine,0.9\n",
    )
    .unwrap();
    // One sentence is too little evidence of spinning for an entry that
    // is not sure of itself; this one is (the `confidence` column).
    let input = "We train profound learning models.\n";
    let expected = "We train deep learning models.\n";
    unspin()
        .arg("--dict")
        .arg(&csv)
        .write_stdin(input)
        .assert()
        .success()
        .stdout(expected);

    let compiled = dir.path().join("mine.dict");
    unspin()
        .args(["dict", "compile"])
        .arg(&csv)
        .arg("-o")
        .arg(&compiled)
        .assert()
        .success();
    unspin()
        .arg("--no-default-dict")
        .arg("--dict")
        .arg(&compiled)
        .write_stdin(format!("{input}The Joint Chiefs of Employees met.\n"))
        .assert()
        .success()
        .stdout(format!("{expected}The Joint Chiefs of Employees met.\n"));
}

#[test]
fn bad_dictionary_row_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bad.csv");
    std::fs::write(&csv, "spun,original,weight,source\na,b,1.5,x\n").unwrap();
    unspin()
        .arg("--dict")
        .arg(&csv)
        .write_stdin("a\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.csv, line 2:"));
}

#[test]
fn user_language_model_from_arpa() {
    let dir = tempfile::tempdir().unwrap();
    let arpa = dir.path().join("tiny.arpa");
    // A model that knows "big dog" but not "large dog".
    std::fs::write(
        &arpa,
        "\\data\\\nngram 1=5\nngram 2=2\n\n\\1-grams:\n-1\t<s>\t-0.3\n-1\t</s>\n-2\tbig\t-0.3\n-2\tlarge\t-0.3\n-2\tdog\t-0.3\n\n\\2-grams:\n-0.1\tbig dog\n-0.5\t<s> big\n\n\\end\\\n",
    )
    .unwrap();
    let model = dir.path().join("tiny.unlm");
    unspin()
        .args(["lm", "compile"])
        .arg(&arpa)
        .arg("-o")
        .arg(&model)
        .assert()
        .success();
    let csv = dir.path().join("d.csv");
    std::fs::write(&csv, "spun,original,weight,source\nlarge,big,-0.2,t\n").unwrap();
    unspin()
        .arg("--no-default-dict")
        .arg("--dict")
        .arg(&csv)
        .arg("--lm")
        .arg(&model)
        .args(["--edit-penalty", "0.5"])
        .write_stdin("large dog\n")
        .assert()
        .success()
        .stdout("big dog\n");
}

#[test]
fn bad_arpa_is_an_error_with_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let arpa = dir.path().join("bad.arpa");
    std::fs::write(&arpa, "\\data\\\nngram 1=1\n\\1-grams:\nxyz\n").unwrap();
    unspin()
        .args(["lm", "compile"])
        .arg(&arpa)
        .arg("-o")
        .arg(dir.path().join("out.unlm"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.arpa, line 4"));
    assert!(!dir.path().join("out.unlm").exists());
}

#[test]
fn broken_pipe_is_not_an_error() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("unspin"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let text = "The Pentagon stated that talks went well.\n".repeat(200_000);
        let _ = stdin.write_all(text.as_bytes());
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    writer.join().unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn score_walks_folders_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("b/deeper")).unwrap();
    std::fs::write(dir.path().join("a.txt"), read("clean_news.txt")).unwrap();
    std::fs::write(dir.path().join("b/deeper/s.txt"), read("spun_news.txt")).unwrap();
    std::fs::write(dir.path().join("b/blob.bin"), b"x\0y").unwrap();
    std::fs::write(dir.path().join(".hidden.txt"), read("spun_news.txt")).unwrap();
    let out = unspin().arg("score").arg(dir.path()).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let verdicts: Vec<(&str, &str)> = stdout
        .lines()
        .map(|l| {
            let mut fields = l.split('\t');
            (fields.next().unwrap(), fields.next().unwrap())
        })
        .collect();
    let a = dir.path().join("a.txt").display().to_string();
    let s = dir.path().join("b/deeper/s.txt").display().to_string();
    assert_eq!(verdicts, [(a.as_str(), "clean"), (s.as_str(), "spun")]);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("blob.bin: binary file skipped"), "{stderr}");
    unspin()
        .args(["score", "--check"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout("");
}

/// `score` finds a folder's files as the repair does: hidden files with
/// `--hidden`, only the files `-g` matches, and never a `.git` folder's.
#[test]
fn score_walks_as_the_repair_walks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join("a.txt"), read("clean_news.txt")).unwrap();
    std::fs::write(dir.path().join("b.md"), read("spun_news.txt")).unwrap();
    std::fs::write(dir.path().join(".hidden.txt"), read("spun_news.txt")).unwrap();
    std::fs::write(dir.path().join(".git/config.txt"), read("spun_news.txt")).unwrap();
    let names = |args: &[&str]| -> Vec<String> {
        let out = unspin()
            .arg("score")
            .args(args)
            .arg(dir.path())
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone())
            .unwrap()
            .lines()
            .map(|l| {
                let path = Path::new(l.split('\t').next().unwrap());
                path.file_name().unwrap().to_string_lossy().into_owned()
            })
            .collect()
    };
    assert_eq!(names(&[]), ["a.txt", "b.md"]);
    assert_eq!(names(&["--hidden"]), [".hidden.txt", "a.txt", "b.md"]);
    assert_eq!(
        names(&["--hidden", "-g", "*.txt"]),
        [".hidden.txt", "a.txt"]
    );
    // The repair walks the same files.
    let out = unspin()
        .args(["--format", "json", "--hidden", "-g", "*.txt", "-j1"])
        .arg(dir.path())
        .assert()
        .success();
    let summary = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(summary.contains("\"files\":2,"), "{summary}");
}

/// The lines of the page fixture that are markup only: everything but the
/// title, the heading and the paragraphs.
fn markup_lines(page: &str) -> Vec<&str> {
    page.lines()
        .filter(|line| {
            !["<title>", "<h1>", "<p>"]
                .iter()
                .any(|t| line.starts_with(t))
        })
        .collect()
}

#[test]
fn an_html_page_has_its_text_repaired_and_its_markup_left_alone() {
    let page = String::from_utf8(read("spun_page.html")).unwrap();
    let out = unspin().arg(fixture("spun_page.html")).assert().success();
    let repaired = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    // Scripts, styles, attributes, comments, navigation, code and the
    // footer mention "home", "stated" and "legislation" too: untouched.
    assert_eq!(markup_lines(&repaired), markup_lines(&page));
    for restored in [
        "digital meeting with his Chinese counterpart",
        "in over a year, officials said, according to <a href=\"https://example.com/home-stated\">",
        "Joint Chiefs of Staff",
        "People&rsquo;s Liberation Army",
        "the White House welcomed",
    ] {
        assert!(
            repaired.contains(restored),
            "missing {restored:?} in:\n{repaired}"
        );
    }
    // Read as plain text (as before pages were recognised), the same page
    // has its markup rewritten: the detection is what protects it.
    let as_text = unspin()
        .args(["--input-format", "text"])
        .arg(fixture("spun_page.html"))
        .assert()
        .success();
    let as_text = String::from_utf8(as_text.get_output().stdout.clone()).unwrap();
    assert_ne!(markup_lines(&as_text), markup_lines(&page));
}

#[test]
fn html_can_be_forced_for_a_fragment_and_scored_on_its_text() {
    let fragment = "<div class=\"home\"><p>The highest US army officer held a digital \
                    assembly with his Chinese language counterpart, the ministry stated.</p>\
                    <p>Lawmakers in the Home of Representatives welcomed the talks.</p></div>\n";
    let out = unspin()
        .args(["--input-format", "html"])
        .write_stdin(fragment)
        .assert()
        .success();
    let repaired = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        repaired.starts_with("<div class=\"home\"><p>"),
        "{repaired}"
    );
    assert!(repaired.contains("House of Representatives"), "{repaired}");
    let words = |format: &str| {
        let out = unspin()
            .args(["score", "--format", "json", "--input-format", format])
            .write_stdin(fragment)
            .assert()
            .code(0);
        let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        report["words"].as_u64().unwrap()
    };
    // 17 + 9 words of text; read as text, "div", "class", "home", "p"
    // count too.
    assert_eq!(words("html"), 26);
    assert!(words("text") > 26);
    // `unspin score` counts the words of a page's text, not of its markup.
    let page = fixture("spun_page.html");
    let out = unspin()
        .args(["score", "--format", "json"])
        .arg(&page)
        .assert()
        .code(0);
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["spun"], true);
    let words = report["words"].as_u64().unwrap();
    let text_words = std::fs::read_to_string(&page)
        .unwrap()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count() as u64;
    assert!(words < text_words * 2 / 3, "{words} of {text_words}");
}

/// A page saved without a doctype starts with its head, a meta tag or its
/// body; read as text, its script and its links were rewritten
/// (`x.stated` -> `x.said`, `/white-home/` -> `/white-house/`).
#[test]
fn a_page_without_a_doctype_keeps_its_markup() {
    for start in [
        "<head><meta charset=\"utf-8\"></head>\n",
        "<meta charset=\"utf-8\">\n",
        "<body>\n",
        "<!-- saved from a browser -->\n<html>\n",
    ] {
        let page = format!(
            "{start}<script>x.stated = 1;</script>\n\
             <p>The ministry stated, <a href=\"/white-home/officers-mentioned\">the White Home</a> welcomed it.</p>\n"
        );
        let out = unspin()
            .args(["--edit-penalty", "1"])
            .write_stdin(page.clone())
            .assert()
            .success();
        let out = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert_eq!(
            out,
            page.replace("ministry stated", "ministry said")
                .replace("White Home<", "White House<"),
            "{start}"
        );
    }
}

/// A replacement spliced into a page is HTML text: `&` becomes `&amp;`,
/// or the page would hold a broken character reference.
#[test]
fn replacements_in_a_page_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("rd.csv");
    std::fs::write(
        &csv,
        "spun,original,weight,source,confidence\nresearch and growth,R&D,-0.1,mine,0.99\n",
    )
    .unwrap();
    let run = |input: &str| {
        let out = unspin()
            .args(["--edit-penalty", "1", "--dict"])
            .arg(&csv)
            .write_stdin(input.to_string())
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    assert_eq!(
        run("<!DOCTYPE html><p>Our research and growth team.</p>"),
        "<!DOCTYPE html><p>Our R&amp;D team.</p>"
    );
    assert_eq!(run("Our research and growth team."), "Our R&D team.");
}

fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

/// Messages that named the wrong cause.
#[test]
fn messages_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let out = unspin()
        .arg("--lm")
        .arg(dir.path())
        .write_stdin("x")
        .assert()
        .code(2);
    let err = stderr(&out);
    assert!(
        err.contains("is a folder, not a language model file"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let out = unspin()
        .args(["--strength", "1e308"])
        .write_stdin("x")
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("`1e308` is too large"),
        "{}",
        stderr(&out)
    );
    let out = unspin()
        .args(["-j", "20000"])
        .write_stdin("x")
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("-j 20000: at most"),
        "{}",
        stderr(&out)
    );
    // A file whose folder takes no new file (/proc/PID/ of a process
    // whose environment holds spun text; its variables are separated by
    // NUL bytes, so it takes --binary to be rewritten at all).
    #[cfg(target_os = "linux")]
    {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .env("SPUN", "The ministry stated it.")
            .spawn()
            .unwrap();
        let environ = format!("/proc/{}/environ", child.id());
        // Until the child has exec'd `sleep`, its environment may read as
        // empty, and an empty file needs no repair and no write.
        let ready = (0..500).any(|_| {
            let held = std::fs::read(&environ).is_ok_and(|bytes| {
                bytes
                    .split(|&b| b == 0)
                    .any(|var| var.starts_with(b"SPUN="))
            });
            if !held {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            held
        });
        assert!(ready, "{environ} never showed the child's environment");
        let out = unspin()
            .args(["--edit-penalty", "1", "--binary", "-w", &environ])
            .assert()
            .code(2);
        let _ = child.kill();
        let _ = child.wait();
        let err = stderr(&out);
        assert!(
            err.contains("no temporary file can be made next to it"),
            "{err}"
        );
        assert!(!err.contains("no such file"), "{err}");
    }
}

/// An allow list saved with a byte-order mark still protects its first
/// phrase.
#[test]
fn allow_list_with_a_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    let allow = dir.path().join("allow.txt");
    std::fs::write(&allow, "\u{feff}stated\n").unwrap();
    unspin()
        .args(["--edit-penalty", "1", "--allow"])
        .arg(&allow)
        .write_stdin("The ministry stated it.\n")
        .assert()
        .success()
        .stdout("The ministry stated it.\n");
    // Without the list, the phrase is repaired: the list is what keeps it.
    unspin()
        .args(["--edit-penalty", "1"])
        .write_stdin("The ministry stated it.\n")
        .assert()
        .success()
        .stdout("The ministry said it.\n");
}

/// A dictionary entry longer than the longest phrase matched would be
/// accepted and never applied: refused, naming the entry; and a compile
/// whose output is its own input is refused before the input is lost.
#[test]
fn dictionary_entries_that_cannot_work_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("long.csv");
    let rows =
        "spun,original,weight,source\none two three four five six seven eight nine,x,-0.1,me\n";
    std::fs::write(&csv, rows).unwrap();
    let out = unspin()
        .arg("--dict")
        .arg(&csv)
        .write_stdin("x")
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("has 9 words: phrases of more than 8 words are never matched"),
        "{}",
        stderr(&out)
    );
    let short = dir.path().join("short.csv");
    std::fs::write(
        &short,
        "spun,original,weight,source\nprofound learning,deep learning,-0.1,me\n",
    )
    .unwrap();
    let out = unspin()
        .args(["dict", "compile"])
        .arg(&short)
        .arg("-o")
        .arg(&short)
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("is also the output"),
        "{}",
        stderr(&out)
    );
    assert!(std::fs::read_to_string(&short)
        .unwrap()
        .contains("profound learning"));
}

/// Endless input where a dictionary, an allow list or a model is read
/// ends in an error naming it rather than in memory exhaustion.
#[cfg(unix)]
#[test]
fn endless_input_to_the_readers_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("out");
    let runs: [Vec<&std::ffi::OsStr>; 4] = [
        vec!["--dict".as_ref(), "/dev/zero".as_ref()],
        vec!["--allow".as_ref(), "/dev/zero".as_ref()],
        vec![
            "dict".as_ref(),
            "compile".as_ref(),
            "/dev/zero".as_ref(),
            "-o".as_ref(),
            out_file.as_os_str(),
        ],
        vec![
            "lm".as_ref(),
            "compile".as_ref(),
            "/dev/zero".as_ref(),
            "-o".as_ref(),
            out_file.as_os_str(),
        ],
    ];
    for args in runs {
        let out = unspin().args(&args).write_stdin("x").assert().code(2);
        let err = stderr(&out);
        assert!(err.contains("/dev/zero"), "{args:?}: {err}");
        assert!(err.contains("MiB"), "{args:?}: {err}");
    }
    assert!(!out_file.exists());
}

/// `score` streams: an input of many chunks is judged chunk by chunk, its
/// fingerprint repairs counted in all, its JSON evidence capped at the
/// strongest 100, with offsets into the whole input, and its cues counted
/// over all chunks.
#[test]
fn score_streams_and_caps_its_evidence() {
    let article = String::from_utf8(read("spun_news.txt")).unwrap();
    let input = article.repeat(1 << 20 >> 9);
    let out = unspin()
        .args(["score", "--format", "json"])
        .write_stdin(input.clone())
        .assert()
        .code(0);
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["spun"], true);
    let repairs = report["fingerprints"].as_u64().unwrap();
    let evidence = report["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 100);
    assert!(repairs > 1000, "{repairs}");
    let cues = report["cues"].as_array().unwrap();
    assert!(cues.len() <= 100);
    let stated = cues.iter().find(|c| c["cue"] == "stated").unwrap();
    assert_eq!(
        stated["count"].as_u64().unwrap() as usize,
        article.matches("stated").count() * (1 << 20 >> 9)
    );
    let mut last = 0;
    for e in evidence {
        let (start, end) = (
            e["byte_start"].as_u64().unwrap() as usize,
            e["byte_end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&input[start..end], e["spun"].as_str().unwrap());
        assert!(start >= last);
        last = start;
    }
}

/// The model file the repository ships (`data/lm/en-us.unlm`, the version
/// without hash tables) loads with `--lm` and repairs as the built-in
/// model does.
#[test]
fn the_shipped_model_file_loads_with_lm() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lm/en-us.unlm");
    let builtin = unspin().arg(fixture("spun_news.txt")).assert().success();
    unspin()
        .arg("--lm")
        .arg(&shipped)
        .arg(fixture("spun_news.txt"))
        .assert()
        .success()
        .stdout(builtin.get_output().stdout.clone());
}

/// Runs unspin with `args` and COLUMNS=80, and returns its stdout.
fn help_at_80(args: &[&str]) -> String {
    let out = unspin().args(args).env("COLUMNS", "80").assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// `-h` fits 80 columns with one line per option; `--help` has the
/// details `-h` leaves out.
#[test]
fn short_help_fits_80_columns_one_line_per_option() {
    for args in [
        &["-h"][..],
        &["score", "-h"],
        &["dict", "compile", "-h"],
        &["lm", "compile", "-h"],
        &["completions", "-h"],
        &["man", "-h"],
    ] {
        let help = help_at_80(args);
        for line in help.lines() {
            assert!(
                line.chars().count() <= 80,
                "{args:?}: {} columns: {line:?}",
                line.chars().count()
            );
        }
        // Under "Options:" every line starts an option: none is wrapped.
        let options = help.split("Options:\n").nth(1).unwrap();
        for line in options.lines().take_while(|l| !l.is_empty()) {
            assert!(
                line.trim_start().starts_with('-'),
                "{args:?}: wrapped: {line:?}"
            );
        }
    }
    let short = help_at_80(&["-h"]);
    let long = help_at_80(&["--help"]);
    let detail = "Files with nothing to repair are not touched";
    assert!(!short.contains(detail) && long.contains(detail), "{long}");
    // Words are wrapped whole in the long help.
    for line in long.lines() {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
    assert!(long.contains("--strength <S>") && long.contains("--format <FORMAT>"));
}

/// `score` offers only the input formats it reads.
#[test]
fn score_help_offers_what_score_reads() {
    let help = help_at_80(&["score", "--help"]);
    assert!(help.contains("--input-format"), "{help}");
    assert!(!help.contains("jsonl"), "{help}");
    let out = unspin()
        .args(["score", "--input-format", "jsonl"])
        .write_stdin("x")
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("invalid value 'jsonl'"),
        "{}",
        stderr(&out)
    );
}

/// A threshold that is not a probability is refused, not read as one
/// that lets every input pass (NaN compares false with any probability).
#[test]
fn score_threshold_is_a_probability() {
    for bad in ["nan", "1.5", "-0.1", "x"] {
        let out = unspin()
            .args(["score", "--check", &format!("--threshold={bad}")])
            .write_stdin("The Joint Chiefs of Employees met in the White Home.")
            .assert()
            .code(2);
        assert!(
            stderr(&out).contains("not a probability"),
            "{bad}: {}",
            stderr(&out)
        );
    }
    unspin()
        .args(["score", "--check", "--threshold", "1"])
        .write_stdin("The Joint Chiefs of Employees met in the White Home.")
        .assert()
        .success();
}

/// A missing language model is said once, in the words of other missing
/// files.
#[test]
fn missing_language_model_is_reported_once() {
    let out = unspin()
        .args(["--lm", "nope.unlm"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stdout("");
    assert_eq!(stderr(&out), "unspin: --lm nope.unlm: no such file\n");
}

/// A mistyped subcommand is not read as a file: unspin says what it
/// probably meant and repairs nothing; a path, or a file that exists, is
/// an input as ever.
#[test]
fn mistyped_subcommand_is_suggested() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("article.txt"), read("spun_news.txt")).unwrap();
    for (typo, meant) in [
        ("scor", "score"),
        ("dcit", "dict"),
        ("completion", "completions"),
    ] {
        let out = unspin()
            .current_dir(dir.path())
            .args([typo, "article.txt"])
            .assert()
            .code(2)
            .stdout("");
        assert_eq!(
            stderr(&out),
            format!("unspin: no such file '{typo}'; did you mean `unspin {meant}`? (give a file of that name as ./{typo})\n")
        );
    }
    // Far from any subcommand, or a path: the usual error, and the other
    // inputs are repaired.
    for missing in ["./scor", "nothing", "scor.txt"] {
        let out = unspin()
            .current_dir(dir.path())
            .args([missing, "article.txt"])
            .assert()
            .code(2);
        assert_eq!(stderr(&out), format!("unspin: {missing}: no such file\n"));
        assert!(!out.get_output().stdout.is_empty());
    }
    // A file that exists is repaired, whatever its name.
    std::fs::write(dir.path().join("scor"), "The ministry stated it.\n").unwrap();
    unspin()
        .current_dir(dir.path())
        .args(["--edit-penalty", "0", "scor"])
        .assert()
        .success()
        .stdout("The ministry said it.\n");
}

/// `score --format json` names and rounds its numbers as the edits of
/// `--format json` do.
#[test]
fn score_json_is_shaped_like_the_edit_records() {
    let out = unspin()
        .args(["score", "--format", "json"])
        .arg(fixture("spun_news.txt"))
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let three_decimals = |v: &serde_json::Value| {
        let x = v.as_f64().unwrap();
        assert!(
            ((x * 1000.0).round() - x * 1000.0).abs() < 1e-6,
            "{x} in {text}"
        );
    };
    three_decimals(&report["spun_probability"]);
    let evidence = report["evidence"].as_array().unwrap();
    assert!(!evidence.is_empty());
    for e in evidence {
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "byte_start",
                "byte_end",
                "spun",
                "restored",
                "score",
                "source"
            ]
        );
        three_decimals(&e["score"]);
    }
    for c in report["cues"].as_array().unwrap() {
        three_decimals(&c["log10_ratio"]);
    }
}

/// A name with a tab or a newline stays on its line, quoted, in the text
/// verdicts; a name that is not UTF-8 has its bytes in `path_base64`.
#[cfg(unix)]
#[test]
fn score_names_any_file_exactly() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let spun = "The Joint Chiefs of Employees met in the White Home.\n";
    std::fs::write(dir.path().join("a\tb\nc.txt"), spun).unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"d\xff.txt");
    std::fs::write(dir.path().join(odd), spun).unwrap();
    let out = unspin().arg("score").arg(dir.path()).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().all(|l| l.contains("\tspun\t")), "{text}");
    assert!(text.contains("a\\tb\\nc.txt\"\tspun"), "{text}");
    let out = unspin()
        .args(["score", "--format", "json"])
        .arg(dir.path().join(odd))
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(report["path_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(raw, dir.path().join(odd).as_os_str().as_bytes());
}

/// The text verdict says when it lists only part of its evidence.
#[test]
fn score_text_marks_evidence_left_out() {
    let out = unspin()
        .arg("score")
        .arg(fixture("spun_news.txt"))
        .assert()
        .success();
    let line = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let shown = line.split_once(" words: ").unwrap().1;
    let shown = shown.strip_suffix(", ...\n").expect(&line);
    assert_eq!(shown.split(", ").count(), 5, "{line}");
}

/// `--format brief`: `path:line:column` per edit, the column in
/// characters, and the same line and column in the JSON records.
#[test]
fn brief_lists_each_edit_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Préambule.\nÀ Paris, the minister stated that the brand new law would take effect subsequent 12 months.\n";
    std::fs::write(dir.path().join("note.txt"), text).unwrap();
    let out = unspin()
        .current_dir(dir.path())
        .args(["--format", "brief", "note.txt"])
        .assert()
        .success();
    let brief = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(brief.contains("note.txt:2:23: stated -> said\n"), "{brief}");
    assert!(
        brief.contains("note.txt:2:82: 12 months -> year\n"),
        "{brief}"
    );
    let out = unspin()
        .current_dir(dir.path())
        .args(["-q", "--format", "json", "note.txt"])
        .assert()
        .success();
    let json = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let from_json: Vec<String> = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "edit")
        .map(|v| {
            format!(
                "note.txt:{}:{}: {} -> {}",
                v["line"],
                v["column"],
                v["spun"].as_str().unwrap(),
                v["restored"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(from_json, brief.lines().collect::<Vec<_>>());
    // Like the other reports, it changes no file and needs no -o for a folder.
    let out = unspin()
        .current_dir(dir.path())
        .args(["-q", "--format", "brief", "."])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout).replace("./", ""),
        brief
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("note.txt")).unwrap(),
        text
    );
}

/// The diff is coloured only when asked or on a terminal, and NO_COLOR
/// is honoured.
#[test]
fn diff_colour_follows_color_and_no_color() {
    let run = |args: &[&str], no_color: bool| {
        let mut cmd = unspin();
        cmd.args(args).arg("--diff").arg(fixture("spun_news.txt"));
        cmd.env_remove("CLICOLOR_FORCE");
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        let out = cmd.assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let plain = run(&[], false);
    assert!(
        plain.starts_with("--- a/") && !plain.contains('\x1b'),
        "{plain}"
    );
    assert_eq!(run(&["--color", "never"], false), plain);
    assert_eq!(run(&["--color", "auto"], true), plain);
    let coloured = run(&["--color", "always"], true);
    assert!(coloured.contains("\x1b[31m-The highest"), "{coloured}");
    assert!(coloured.contains("\x1b[32m+The highest"), "{coloured}");
    assert!(coloured.contains("\x1b[36m@@ -1,"), "{coloured}");
    // The words that changed stand out in their lines.
    assert!(
        coloured.contains("\x1b[7m\x1b[31mChinese language\x1b[0m"),
        "{coloured}"
    );
    assert!(
        coloured.contains("\x1b[7m\x1b[32mChinese\x1b[0m"),
        "{coloured}"
    );
    // Without its escapes it is the plain diff.
    let stripped =
        String::from_utf8(anstream::adapter::strip_bytes(coloured.as_bytes()).into_vec()).unwrap();
    assert_eq!(stripped, plain);
}

/// On a terminal, unspin says that it waits for standard input and
/// colours its diff unless NO_COLOR is set; with a pipe it says nothing.
/// The terminal is made by util-linux's `script`, which this test needs.
#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_a_hint_and_colour() {
    let bin = assert_cmd::cargo::cargo_bin("unspin");
    let in_terminal = |command: &str, no_color: bool| {
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-qec", command, "/dev/null"])
            .env("TERM", "xterm")
            .env_remove("CLICOLOR_FORCE")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped());
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR").env_remove("CLICOLOR");
        }
        let mut child = cmd
            .spawn()
            .expect("this test needs util-linux's `script` to make a terminal");
        // A line, then Ctrl-D: the end of input on a terminal.
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"The ministry stated it.\n\x04")
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{out:?}");
        // The terminal echoes the typed line whenever it arrives, which
        // may be in the middle of the hint: take the echo out.
        String::from_utf8_lossy(&out.stdout).replacen("The ministry stated it.\r\n", "", 1)
    };
    let hint = "unspin: reading standard input (Ctrl-D to end; --help for usage)";
    let shown = in_terminal(&format!("{}", bin.display()), false);
    assert!(shown.contains(hint), "{shown:?}");
    let shown = in_terminal(&format!("{} -q", bin.display()), false);
    assert!(!shown.contains(hint), "{shown:?}");
    let shown = in_terminal(&format!("{} score", bin.display()), false);
    assert!(shown.contains(hint), "{shown:?}");
    let diff = format!(
        "{} --diff {}",
        bin.display(),
        fixture("spun_news.txt").display()
    );
    assert!(in_terminal(&diff, false).contains("\x1b[31m-"));
    assert!(!in_terminal(&diff, true).contains('\x1b'));
    // A pipe: no hint.
    unspin()
        .write_stdin("The ministry stated it.\n")
        .assert()
        .success()
        .stderr("");
}

/// Completion scripts for every shell clap_complete knows, and a man
/// page, each naming the options.
#[test]
fn completions_and_man_page() {
    for (shell, marker) in [
        ("bash", "--strength"),
        ("zsh", "#compdef unspin"),
        ("fish", "complete -c unspin"),
        ("elvish", "--strength"),
        ("powershell", "--strength"),
    ] {
        let out = unspin()
            .args(["completions", shell])
            .assert()
            .success()
            .stderr("");
        let script = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(
            script.contains(marker),
            "{shell}: no {marker:?} in\n{script}"
        );
        assert!(script.contains("score"), "{shell}: no subcommand score");
    }
    unspin().args(["completions", "tcsh"]).assert().code(2);
    let out = unspin().arg("man").assert().success();
    let page = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(page.contains(".TH UNSPIN 1"), "{page}");
    assert!(page.contains(".SH OPTIONS"), "{page}");
    assert!(page.contains("\\-\\-strength"), "{page}");
    // Every page the main one refers to can be written, with the options
    // of its subcommand.
    let dir = tempfile::tempdir().unwrap();
    unspin()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    for (page, option) in [
        ("unspin.1", "\\-\\-strength"),
        ("unspin-score.1", "\\-\\-threshold"),
        ("unspin-learn.1", "\\-\\-iterations"),
        ("unspin-dict-compile.1", "\\-\\-output"),
    ] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(text.contains(option), "{page}: {text}");
    }
}
