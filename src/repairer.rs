//! Building the model the command line asks for.

use crate::args::ModelArgs;
use crate::input::describe;
use anyhow::{anyhow, bail, Result};
use std::borrow::Cow;
use std::io::Read;
use std::path::Path;
use unspin_core::{AllowList, Cues, Dictionary, NgramModel, Repairer, Settings};

/// The largest dictionary or allow list read (`--dict`, `--allow`,
/// `dict compile`): far above any real one, and a bound on the memory an
/// endless input (`/dev/zero`) can take.
pub const MAX_LIST: u64 = 32 << 20;

/// The most words of a spun phrase the dictionary matches.
const MAX_PHRASE_WORDS: usize = 8;

/// Reads a dictionary or allow list, refusing one over [`MAX_LIST`] and
/// folders.
pub fn read_list(path: &Path) -> Result<Vec<u8>> {
    let name = path.display();
    if path.is_dir() {
        bail!("{name}: is a folder, not a file");
    }
    let file = std::fs::File::open(path).map_err(|e| anyhow!("{name}: {}", describe(&e)))?;
    let mut bytes = Vec::new();
    file.take(MAX_LIST + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow!("{name}: {}", describe(&e)))?;
    if bytes.len() as u64 > MAX_LIST {
        bail!("{name}: larger than {} MiB: not read", MAX_LIST >> 20);
    }
    Ok(bytes)
}

/// Refuses dictionary entries whose spun phrase is longer than the
/// dictionary matches: they would be accepted and never applied.
pub fn check_phrase_lengths(entries: &[unspin_formats::dict::Entry], name: &str) -> Result<()> {
    for entry in entries {
        let words = unspin_core::token::tokenize(entry.spun.as_bytes())
            .iter()
            .filter(|t| t.kind == unspin_core::token::TokenKind::Word)
            .count();
        if words > MAX_PHRASE_WORDS {
            bail!(
                "{name}: the entry \"{}\" has {words} words: phrases of more than {MAX_PHRASE_WORDS} words are never matched",
                entry.spun
            );
        }
    }
    Ok(())
}

/// Builds the model the options ask for.
pub fn load_repairer(args: &ModelArgs) -> Result<Repairer> {
    let mut dictionaries = Vec::new();
    for path in &args.dicts {
        let name = path.display().to_string();
        let bytes = read_list(path)?;
        let dict = if bytes.starts_with(unspin_formats::dict::DICT_MAGIC) {
            Dictionary::from_bytes(Cow::Owned(bytes), &name)?
        } else {
            let entries = unspin_formats::dict::read_csv(bytes.as_slice(), &name)?;
            check_phrase_lengths(&entries, &name)?;
            Dictionary::from_entries(&entries, &name)?
        };
        dictionaries.push(dict);
    }
    if !args.no_default_dict {
        dictionaries.push(Dictionary::embedded());
    }
    let mut allowed = String::new();
    for path in &args.allow {
        let text = read_list(path)?;
        // A byte-order mark (Windows editors write one) is not part of the
        // first phrase.
        let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&text);
        allowed.push_str(&String::from_utf8_lossy(text));
        allowed.push('\n');
    }
    let lm = match &args.lm {
        Some(path) if path.is_dir() => {
            anyhow::bail!(
                "--lm {}: is a folder, not a language model file",
                path.display()
            )
        }
        // The library's error names the file and keeps the OS error as its
        // source; said once, in the words of the other file errors.
        Some(path) => NgramModel::open(path).map_err(|err| match err {
            unspin_core::lm::LmError::Io { name, source } => {
                anyhow!("--lm {name}: {}", describe(&source))
            }
            err => err.into(),
        })?,
        None => NgramModel::embedded(),
    };
    let defaults = Settings::default();
    let settings = Settings {
        strength: args.strength,
        fixed_penalty: args.edit_penalty,
        spun_penalty: args.spun_penalty.unwrap_or(defaults.spun_penalty),
        clean_penalty: args.clean_penalty.unwrap_or(defaults.clean_penalty),
        consistency: args.consistency.unwrap_or(defaults.consistency),
        keep_cost: args.keep_cost.unwrap_or(defaults.keep_cost),
        ..defaults
    };
    let mut repairer = Repairer::new(dictionaries, Box::new(lm), settings);
    if let Some(path) = &args.cues {
        let name = path.display().to_string();
        let text = read_list(path)?;
        let cues =
            Cues::parse(&String::from_utf8_lossy(&text)).map_err(|e| anyhow!("{name}: {e}"))?;
        repairer = repairer.with_cues(cues);
    }
    Ok(if args.allow.is_empty() {
        repairer
    } else {
        repairer.with_allow_list(AllowList::parse(&allowed))
    })
}
