//! What the built-in model repairs, on sentences written for these tests.

use assert_cmd::Command;

fn repair(input: &str) -> String {
    let out = Command::cargo_bin("unspin")
        .unwrap()
        .write_stdin(input)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn tortured_phrases_of_paper_mills() {
    assert_eq!(
        repair("Our results show that profound learning beats older methods.\n"),
        "Our results show that deep learning beats older methods.\n"
    );
    assert_eq!(
        repair("The irregular woodland classifier was trained on the labelled set.\n"),
        "The random forest classifier was trained on the labelled set.\n"
    );
}

#[test]
fn tortured_phrase_repaired_inside_otherwise_clean_text() {
    let clean = "The committee met on Monday and approved the plan after a long debate.\n";
    let input =
        format!("{clean}{clean}Researchers used profound learning to study the images.\n{clean}");
    let expected = input.replace("profound learning", "deep learning");
    assert_eq!(repair(&input), expected);
}

#[test]
fn news_spinner_fingerprints() {
    let out = repair(
        "The Pentagon stated on Monday that talks with his Chinese language counterpart would resume after a 12 months pause.\n",
    );
    assert_eq!(
        out,
        "The Pentagon said on Monday that talks with his Chinese counterpart would resume after a year pause.\n"
    );
}
