//! The README's examples, run: every output the README shows must be what
//! the command prints today.
//!
//! An example is a fenced block opened with ```` ```console ````. In it, a
//! line starting with `$ ` is a command (a line ending in ` \` goes on
//! on the next line), and the lines after it, up to the next command or
//! the end of the block, are its output: standard output and standard
//! error together, as a terminal shows them. Each command runs with
//! `sh -c` in `tests/fixtures/readme/`, with the `unspin` just built first
//! on the `PATH` and no standard input. Blocks of any other kind
//! (```` ```sh ````) are not run, so they must not show output.
//!
//! The test knows nothing of unspin's formats: when the output changes on
//! purpose, updating the README is all that is needed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Example {
    /// 1-based line of the README where the command starts.
    line: usize,
    command: String,
    expected: String,
}

fn parse(readme: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_console = false;
    let mut continued = false;
    for (i, line) in readme.lines().enumerate() {
        if !in_console {
            in_console = line.trim_end() == "```console";
            continue;
        }
        if line.trim_end() == "```" {
            in_console = false;
            continue;
        }
        if continued {
            let example = examples.last_mut().unwrap();
            example.command.push('\n');
            example.command.push_str(line);
            continued = line.ends_with('\\');
        } else if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example {
                line: i + 1,
                command: command.to_string(),
                expected: String::new(),
            });
            continued = line.ends_with('\\');
        } else {
            let example = examples
                .last_mut()
                .unwrap_or_else(|| panic!("README.md:{}: output before any `$ ` command", i + 1));
            example.expected.push_str(line);
            example.expected.push('\n');
        }
    }
    assert!(!in_console, "README.md: a ```console block is not closed");
    examples
}

/// The README: in this crate's folder or the first folder above it that
/// has one (the workspace root).
fn readme_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("README.md"))
        .find(|path| path.exists())
        .expect("no README.md above the crate")
}

fn run(command: &str, dir: &Path) -> String {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_unspin")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("exec 2>&1\n{command}"))
        .current_dir(dir)
        .env("PATH", path)
        .stdin(Stdio::null())
        .output()
        .expect("cannot run sh");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A line diff (longest common subsequence) of what the README shows
/// against what the command printed.
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    // common[i][j]: length of the longest common subsequence of e[i..], a[j..].
    let mut common = vec![vec![0usize; a.len() + 1]; e.len() + 1];
    for i in (0..e.len()).rev() {
        for j in (0..a.len()).rev() {
            common[i][j] = if e[i] == a[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < e.len() || j < a.len() {
        if i < e.len() && j < a.len() && e[i] == a[j] {
            out.push_str(&format!("   {}\n", e[i]));
            (i, j) = (i + 1, j + 1);
        } else if i < e.len() && (j == a.len() || common[i + 1][j] >= common[i][j + 1]) {
            out.push_str(&format!(" - {}\n", e[i]));
            i += 1;
        } else {
            out.push_str(&format!(" + {}\n", a[j]));
            j += 1;
        }
    }
    if expected.ends_with('\n') != actual.ends_with('\n') && !actual.is_empty() {
        out.push_str(" (the output differs in its final line break)\n");
    }
    out
}

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let readme_path = readme_path();
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let examples = parse(&readme);
    assert!(
        examples.len() >= 5,
        "{} has only {} console examples: is the ```console marker gone?",
        readme_path.display(),
        examples.len()
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/readme");
    let mut failures = Vec::new();
    for example in &examples {
        let actual = run(&example.command, &dir);
        if actual != example.expected {
            failures.push(format!(
                "README.md:{}: $ {}\n(- the README, + the command)\n{}",
                example.line,
                example.command,
                diff(&example.expected, &actual)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} README examples print something else:\n\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
}

#[test]
fn parses_commands_continuations_and_output() {
    let text = "intro\n```console\n$ echo a \\\n  b\na b\n$ true\n```\n```sh\n$ not run\n```\n";
    let examples = parse(text);
    assert_eq!(examples.len(), 2);
    assert_eq!(examples[0].line, 3);
    assert_eq!(examples[0].command, "echo a \\\n  b");
    assert_eq!(examples[0].expected, "a b\n");
    assert_eq!(examples[1].command, "true");
    assert_eq!(examples[1].expected, "");
    assert_eq!(run(&examples[0].command, Path::new(".")), "a b\n");
    assert_eq!(diff("x\ny\n", "x\nz\ny\n"), "   x\n + z\n   y\n");
}
