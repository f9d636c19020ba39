//! The `unspin` binary: parses the command line and hands it to the
//! `unspin` crate's [`run`](unspin_core::run).

use clap::Parser;
use unspin as cli;

/// Repairing allocates many small, short-lived strings and vectors per
/// document; mimalloc handles that pattern much faster than the system
/// allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = cli::args::Cli::parse();
    let status = match cli::run(cli) {
        Ok(status) => status,
        Err(err) => {
            if is_broken_pipe(&err) {
                cli::EXIT_OK
            } else {
                eprintln!("unspin: {err:#}");
                cli::EXIT_ERROR
            }
        }
    };
    std::process::exit(status);
}

/// A closed pipe downstream (`unspin big.txt | head`) is a normal way to stop.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
