//! `--diff`: what would change, as a unified diff per input.

use std::io::{self, Write};

/// Writes a unified diff between `before` and `after` (nothing when they
/// are equal). Lines are compared as bytes, so invalid UTF-8 is shown as is.
pub fn write_unified<W: Write>(
    out: &mut W,
    name: &str,
    before: &[u8],
    after: &[u8],
) -> io::Result<()> {
    if before == after {
        return Ok(());
    }
    let diff = similar::TextDiff::configure().diff_lines(before, after);
    diff.unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_writer(out)
}
