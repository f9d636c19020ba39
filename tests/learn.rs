//! `unspin learn` and `--adapt` on the real binary: what they write, that
//! it is what `--dict` reads, and that a bad file does not stop them.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn unspin() -> Command {
    Command::cargo_bin("unspin").unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

/// A crawl of two sites: spun news (several copies, as a crawl repeats a
/// spinner's output) and clean news, and a binary file among them.
fn crawl(dir: &Path) -> PathBuf {
    let root = dir.join("crawl");
    for site in ["site_a", "site_b"] {
        std::fs::create_dir_all(root.join(site)).unwrap();
    }
    for i in 0..4 {
        std::fs::write(
            root.join(format!("site_a/{i}.txt")),
            fixture("spun_news.txt"),
        )
        .unwrap();
    }
    std::fs::write(root.join("site_b/clean.txt"), fixture("clean_news.txt")).unwrap();
    std::fs::write(root.join("site_b/image.bin"), b"\x89PNG\0\0\0binary").unwrap();
    root
}

#[test]
fn learn_writes_a_dictionary_and_its_csv_and_reports_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = crawl(dir.path());
    let dict = dir.path().join("spinner.dict");
    let out = unspin()
        .args(["learn", "-q"])
        .arg(&root)
        .arg(dir.path().join("gone.txt"))
        .arg("-o")
        .arg(&dict)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    // One line naming the file that could not be read; the others were
    // learned from, and the binary file skipped without an error.
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("gone.txt"), "{stderr}");
    let csv = std::fs::read_to_string(dir.path().join("spinner.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "spun,original,weight,source,swaps,spun_count,swap_rate,original_count,prior_weight,confidence"
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.iter().any(|r| r.starts_with("stated,said,")), "{csv}");
    // The compiled dictionary and the CSV are the same model.
    let spun = fixture("spun_news.txt");
    let with = |dict: &Path| {
        unspin()
            .arg("--dict")
            .arg(dict)
            .write_stdin(spun.clone())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    assert_eq!(with(&dict), with(&dir.path().join("spinner.csv")));
}

#[test]
fn learning_twice_writes_the_same_bytes_and_adapt_repairs_as_the_dictionary_does() {
    let dir = tempfile::tempdir().unwrap();
    let root = crawl(dir.path());
    let learn = |name: &str| {
        let dict = dir.path().join(name);
        unspin()
            .args(["learn", "-q", "-j", "2"])
            .arg(&root)
            .arg("-o")
            .arg(&dict)
            .assert()
            .success();
        std::fs::read(dict.with_extension("csv")).unwrap()
    };
    assert_eq!(learn("one.dict"), learn("two.dict"));

    let adapted = dir.path().join("adapted");
    let out = unspin()
        .arg("--adapt")
        .arg("-o")
        .arg(&adapted)
        .arg(&root)
        .assert()
        .success();
    // The mixture: one line per folder.
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("site_a: 4 of 4 documents spun"), "{stderr}");
    assert!(stderr.contains("site_b: 0 of 1 documents spun"), "{stderr}");
    // The binary file is skipped while learning, as the repair skips it.
    assert!(
        stderr.contains("image.bin: binary file skipped"),
        "{stderr}"
    );
    let by_dict = unspin()
        .arg("--dict")
        .arg(dir.path().join("one.dict"))
        .arg(root.join("site_a/0.txt"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        std::fs::read(adapted.join("site_a/0.txt")).unwrap(),
        by_dict
    );
    assert_ne!(by_dict, fixture("spun_news.txt"));
}

#[test]
fn adapt_refuses_standard_input() {
    unspin()
        .arg("--adapt")
        .write_stdin("The minister stated it.")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not standard input"));
}

#[test]
fn learn_writes_nothing_when_no_file_could_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let dict = dir.path().join("spinner.dict");
    unspin()
        .arg("learn")
        .arg(dir.path().join("missing.txt"))
        .arg("-o")
        .arg(&dict)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("missing.txt"))
        .stderr(predicates::str::contains("nothing learned"));
    assert!(!dict.exists());
    assert!(!dir.path().join("spinner.csv").exists());
}

/// An output that is a file of the crawl (the dictionary, or the CSV
/// written beside it) is refused: learning would overwrite that file.
#[test]
fn learn_refuses_to_write_over_a_file_it_learns_from() {
    let dir = tempfile::tempdir().unwrap();
    let root = crawl(dir.path());
    std::fs::write(root.join("site_a/notes.csv"), b"kept, as it was\n").unwrap();
    for output in ["site_a/0.txt", "site_a/notes.dict"] {
        unspin()
            .arg("learn")
            .arg(&root)
            .arg("-o")
            .arg(root.join(output))
            .assert()
            .code(2)
            .stderr(predicates::str::contains("learning would overwrite it"))
            .stderr(predicates::str::contains("round").not());
    }
    assert_eq!(
        std::fs::read(root.join("site_a/0.txt")).unwrap(),
        fixture("spun_news.txt")
    );
    assert_eq!(
        std::fs::read(root.join("site_a/notes.csv")).unwrap(),
        b"kept, as it was\n"
    );
    assert!(!root.join("site_a/notes.dict").exists());
}

/// An output that cannot be written is refused before the crawl is read,
/// not after the rounds, and no temporary file is left behind.
#[test]
fn learn_refuses_an_output_it_cannot_write_before_reading_the_crawl() {
    let dir = tempfile::tempdir().unwrap();
    let root = crawl(dir.path());
    let folder = dir.path().join("taken");
    std::fs::create_dir(&folder).unwrap();
    for output in [folder.clone(), dir.path().join("missing/spinner.dict")] {
        unspin()
            .arg("learn")
            .arg(&root)
            .arg("-o")
            .arg(&output)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("cannot write"))
            .stderr(predicates::str::contains("round").not());
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

/// A crawl of saved pages is learned from their prose, as the batch mode
/// repairs it: words of the markup (here a class that names a spinner's
/// phrase on every paragraph) are not read as occurrences.
#[test]
fn pages_are_learned_from_their_prose_not_their_markup() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(fixture("spun_news.txt")).unwrap();
    let (plain, pages) = (dir.path().join("plain"), dir.path().join("pages"));
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::create_dir_all(&pages).unwrap();
    let body: String = text
        .lines()
        .map(|line| format!("<p class=\"stated mentioned individuals\">{line}</p>\n"))
        .collect();
    for i in 0..4 {
        std::fs::write(plain.join(format!("{i}.txt")), &text).unwrap();
        std::fs::write(
            pages.join(format!("{i}.html")),
            format!("<!DOCTYPE html>\n<html><body>\n{body}</body></html>\n"),
        )
        .unwrap();
    }
    let learned = |crawl: &Path, name: &str| {
        let dict = dir.path().join(name);
        unspin()
            .args(["learn", "-q"])
            .arg(crawl)
            .arg("-o")
            .arg(&dict)
            .assert()
            .success();
        std::fs::read_to_string(dict.with_extension("csv")).unwrap()
    };
    let from_pages = learned(&pages, "pages.dict");
    assert_eq!(from_pages, learned(&plain, "plain.dict"));
    assert!(from_pages.lines().any(|row| row.starts_with("stated,")));
}
