//! The `unspin` binary: parses the command line and hands it to the
//! `unspin` crate's [`run`](cli::run).

use clap::Parser;
use unspin as cli;

/// Repairing allocates many small, short-lived strings and vectors per
/// document; mimalloc handles that pattern much faster than the system
/// allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: its place in the C library's
/// `mi_option_e`, for which the Rust binding has no constant.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Each chunk's lattice is freed as a whole when the chunk is done. By
    // default mimalloc keeps freed pages for a while in case they are
    // wanted again, and with a long input and several threads those pages
    // pile up to about a third of the peak memory. Returning them at once
    // costs a little system time and keeps the peak near what is in use.
    // SAFETY: sets a plain integer option before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    no_transparent_huge_pages();
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

/// Opts the process out of transparent huge pages. The decoder reserves
/// its per-chunk arrays for the most words a chunk can hold and touches
/// only what the text fills, which costs address space, not memory, with
/// 4 KB pages. Where the kernel backs every touched 2 MB region with a
/// huge page, each first touch zeroes and keeps 2 MB, and since freed
/// chunks go back to the system at once, the next chunk pays again. The
/// language model is read from the executable's own pages, which this
/// does not touch.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE sets one flag of this process and reads
    // no memory; a kernel without it refuses the call, which changes
    // nothing, so the result is not needed.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// A closed pipe downstream (`unspin big.txt | head`) is a normal way to stop.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
