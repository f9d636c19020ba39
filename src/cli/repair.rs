//! Building the model the command line asks for.

use super::args::ModelArgs;
use super::input::describe;
use anyhow::{anyhow, Result};
use std::borrow::Cow;
use unspin::{AllowList, Cues, Dictionary, Model, NgramModel, Settings};

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
        consistency: args.consistency.unwrap_or(defaults.consistency),
        keep_cost: args.keep_cost.unwrap_or(defaults.keep_cost),
        ..defaults
    };
    let mut model = Model::new(dictionaries, Box::new(lm), settings);
    if let Some(path) = &args.cues {
        let name = path.display().to_string();
        let text = std::fs::read(path).map_err(|e| anyhow!("{name}: {}", describe(&e)))?;
        let cues =
            Cues::parse(&String::from_utf8_lossy(&text)).map_err(|e| anyhow!("{name}: {e}"))?;
        model = model.with_cues(cues);
    }
    Ok(if args.allow.is_empty() {
        model
    } else {
        model.with_allow_list(AllowList::parse(&allowed))
    })
}
