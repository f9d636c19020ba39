//! The default command: repair each input to standard output.

use super::args::{ModelArgs, RepairArgs};
use super::input::{describe, Input};
use super::{diff, EXIT_ERROR, EXIT_OK};
use anyhow::{anyhow, Result};
use std::borrow::Cow;
use std::io::{BufWriter, Write};
use unspin::{AllowList, Dictionary, Model, NgramModel, Settings};

/// Repairs every input in order; a failed input is reported and the rest
/// go on, with exit status 2 at the end.
pub fn run(args: &RepairArgs) -> Result<i32> {
    let model = load_model(&args.model)?;
    let inputs: Vec<Input> = if args.paths.is_empty() {
        vec![Input::Stdin]
    } else {
        args.paths.iter().map(|p| Input::from_arg(p)).collect()
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut status = EXIT_OK;
    for input in &inputs {
        let text = match input.read() {
            Ok(text) => text,
            Err(err) => {
                out.flush()?;
                eprintln!("unspin: {err}");
                status = EXIT_ERROR;
                continue;
            }
        };
        let edits = model.repair(&text);
        if args.diff {
            let repaired = unspin::edit::apply(&text, &edits);
            diff::write_unified(&mut out, &input.name(), &text, &repaired)?;
        } else {
            unspin::edit::write_repaired(&mut out, &text, &edits)?;
        }
    }
    out.flush()?;
    Ok(status)
}

/// Builds the model the options ask for.
pub fn load_model(args: &ModelArgs) -> Result<Model> {
    let mut dictionaries = Vec::new();
    for path in &args.dicts {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| anyhow!("{name}: {}", describe(&e)))?;
        let dict = if bytes.starts_with(unspin::dict::compile::DICT_MAGIC) {
            Dictionary::from_bytes(Cow::Owned(bytes), &name)?
        } else {
            let entries = unspin::dict::compile::read_csv(bytes.as_slice(), &name)?;
            Dictionary::from_entries(&entries, &name)?
        };
        dictionaries.push(dict);
    }
    if !args.no_default_dict {
        dictionaries.push(Dictionary::embedded());
    }
    let mut allowed = String::new();
    for path in &args.allow {
        let text =
            std::fs::read(path).map_err(|e| anyhow!("{}: {}", path.display(), describe(&e)))?;
        allowed.push_str(&String::from_utf8_lossy(&text));
        allowed.push('\n');
    }
    let lm = match &args.lm {
        Some(path) => NgramModel::open(path)?,
        None => NgramModel::embedded(),
    };
    let defaults = Settings::default();
    let settings = Settings {
        strength: args.strength,
        fixed_penalty: args.edit_penalty,
        spun_penalty: args.spun_penalty.unwrap_or(defaults.spun_penalty),
        clean_penalty: args.clean_penalty.unwrap_or(defaults.clean_penalty),
        ..defaults
    };
    let model = Model::new(dictionaries, Box::new(lm), settings);
    Ok(if args.allow.is_empty() {
        model
    } else {
        model.with_allow_list(AllowList::parse(&allowed))
    })
}
