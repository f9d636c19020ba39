//! What the built-in model repairs, on sentences written for these tests.

use assert_cmd::Command;

fn repair(input: &str) -> String {
    repair_with(&[], input)
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

/// A news language model finds some tortured phrases as likely as their
/// originals, or likelier ("help vector" is common, "support vector"
/// rare); the list's confidence that nobody else writes them decides.
#[test]
fn tortured_phrases_the_language_model_alone_would_keep() {
    assert_eq!(
        repair("We apply singular price decomposition to the matrix.\n"),
        "We apply singular value decomposition to the matrix.\n"
    );
    assert_eq!(
        repair("We trained help vector machines on the data.\n"),
        "We trained support vector machines on the data.\n"
    );
}

/// The news model does not know many terms of science ("perceptron",
/// "cosine"); where it cannot judge, the tortured-phrase list decides.
#[test]
fn tortured_phrases_whose_originals_the_language_model_does_not_know() {
    assert_eq!(
        repair("We trained a multi-facet perceptron on the images.\n"),
        "We trained a multi-layer perceptron on the images.\n"
    );
    assert_eq!(
        repair("The discrete cosine change of each block is quantised.\n"),
        "The discrete cosine transform of each block is quantised.\n"
    );
}

/// A paper-mill abstract, end to end.
#[test]
fn the_tortured_abstract_fixture() {
    let input = include_str!("fixtures/tortured_abstract.txt");
    let expected = input
        .replace("profound learning", "deep learning")
        .replace("neural organization", "neural network")
        .replace("irregular woodlands", "random forests")
        .replace("help vector machines", "support vector machines")
        .replace("middle filter", "median filter")
        .replace("cosine change", "cosine transform")
        .replace("multi-facet perceptron", "multi-layer perceptron");
    assert_eq!(repair(input), expected);
}

/// The paper-mill list gives most phrases in one number; papers use both.
#[test]
fn tortured_phrases_in_the_other_number() {
    assert_eq!(
        repair("The irregular woodlands were trained on the labelled set.\n"),
        "The random forests were trained on the labelled set.\n"
    );
    assert_eq!(
        repair("We compare irregular woodlands with help vector machines on three datasets.\n"),
        "We compare random forests with support vector machines on three datasets.\n"
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

/// "12 months" stands for "a year" where no article precedes it: the
/// repair keeps the sentence grammatical ("waited year" it was), and
/// still writes "year" after "a" or "last".
#[test]
fn twelve_months_is_a_year_where_the_sentence_needs_the_article() {
    let spun = "Officers stated the brand new finances for the approaching 12 months would assist small companies, the authorities stated.";
    let out = repair(&format!(
        "{spun} He waited 12 months for it. The deal, signed 12 months ago, failed. Sales fell last 12 months.\n"
    ));
    assert!(out.contains("the coming year would"), "{out}");
    assert!(out.contains("He waited a year for it."), "{out}");
    assert!(out.contains("signed a year ago"), "{out}");
    assert!(out.contains("fell last year."), "{out}");
}

/// Spinners that fix the article ("a person" -> "an individual") leave
/// it to be fixed back with the word; the allow list covers the article.
#[test]
fn a_repair_after_an_article_restores_the_article_too() {
    let input =
        "An individual familiar with the matter stated the talks with his Chinese language \
                 counterpart would resume after a 12 months pause.\n";
    assert_eq!(
        repair(input),
        "A person familiar with the matter said the talks with his Chinese \
         counterpart would resume after a year pause.\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let allow = dir.path().join("allow.txt");
    std::fs::write(&allow, "an\n").unwrap();
    let kept = repair_with(&["--allow", allow.to_str().unwrap()], input);
    assert!(kept.starts_with("An individual familiar"), "{kept}");
}

/// Training saw the spinner write "stated" for "said" and "youngsters"
/// for "children"; the mined layer carries each swap over to the words'
/// other inflections. (The first sentence makes the text recognisably
/// spun: one sentence with two weak cues alone is left as it is.)
#[test]
fn mined_swaps_carry_over_to_other_inflections() {
    let spun = "Officials additionally mentioned the invoice would nonetheless move ahead, \
                whether or not the Home votes this 12 months. \
                The senator kept stating that the youngster had been hurt.\n";
    assert_eq!(
        repair(spun),
        "Officials also said the bill would still go ahead, \
         whether the House votes this year. \
         The senator kept saying that the child had been hurt.\n"
    );
    let json = repair_with(&["--format", "json"], spun);
    assert_eq!(
        json.matches("\"source\":\"mined:inflected\"").count(),
        2,
        "{json}"
    );
    let alone = "The senator kept stating that the youngster had been hurt.\n";
    assert_eq!(repair(alone), alone);
}

/// Digits are unknown to the speech language model; read as number words,
/// a phrase with them is judged on its words, so a clean "in 12 months"
/// is not "repaired" to "in year" for the unknown word it drops.
#[test]
fn numbers_in_clean_text_stay() {
    let clean = "The law takes effect in 12 months, officials said on Monday.\n";
    assert_eq!(repair(clean), clean);
    assert_eq!(
        repair("It was the first such dialog in over a 12 months amid hopes of calm.\n"),
        "It was the first such dialog in over a year amid hopes of calm.\n"
    );
}

/// British spellings are unknown to the US language model; it cannot
/// judge them, so they are not "repaired" ("ageing" -> "aging").
#[test]
fn british_spelling_in_clean_news_stays() {
    let clean = "The government's ageing infrastructure programme will cost billions, \
the Treasury said on Tuesday. Ministers defended the plan, which includes a new hospital \
centre in the north of England and upgrades to the region's ageing rail network. The \
ageing population adds to pressure on health spending, analysts said, and the \
programme's timetable looks ambitious.\n";
    assert_eq!(repair(clean), clean);
}

fn repair_with(args: &[&str], input: &str) -> String {
    let out = Command::cargo_bin("unspin")
        .unwrap()
        .args(args)
        .write_stdin(input)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn allow_list_keeps_phrases_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let allow = dir.path().join("allow.txt");
    std::fs::write(&allow, "# names we keep\nJoint Chiefs of Employees\n").unwrap();
    let input = "The Joint Chiefs of Employees met. The Joint Chiefs of Employees left.\n";
    assert_eq!(
        repair_with(&["--allow", allow.to_str().unwrap()], input),
        input
    );
    assert_eq!(
        repair(input),
        "The Joint Chiefs of Staff met. The Joint Chiefs of Staff left.\n"
    );
}

#[test]
fn user_dictionary_takes_priority_over_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("mine.csv");
    // The built-in dictionary restores "Joint Chiefs of Staff" (through
    // "employees" -> "staff" too); this user's entry claims those words.
    std::fs::write(
        &csv,
        "spun,original,weight,source,confidence\njoint chiefs of employees,joint chiefs,-0.1,mine,1\n",
    )
    .unwrap();
    let out = repair_with(
        &["--dict", csv.to_str().unwrap()],
        "The Joint Chiefs of Employees met on Monday.\n",
    );
    assert_eq!(out, "The Joint Chiefs met on Monday.\n");
}

#[test]
fn strength_trades_recall_for_precision() {
    let input = "The officers stated that the assembly was held in the workplace.\n";
    let cautious = repair_with(&["--strength", "0.2"], input);
    let eager = repair_with(&["--strength", "4"], input);
    let changed = |s: &str| {
        s.split(' ')
            .zip(input.split(' '))
            .filter(|(a, b)| a != b)
            .count()
    };
    assert!(changed(&cautious) < changed(&eager), "{cautious} / {eager}");
}
