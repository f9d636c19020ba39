//! The one thread pool: an ordered parallel map with bounded memory.
//!
//! Repairing is the slow part of every pipeline, and its inputs (the
//! chunks of a stream, the records of a JSON Lines file) must come out in
//! the order they went in. [`ordered_map`] reads items on the calling
//! thread, repairs them on worker threads and hands the results back on the
//! calling thread in input order.
//!
//! Invariant: at most `threads + 1` items are in flight (read and not yet
//! handed back), so memory stays bounded whatever the input's length. The
//! workers live as long as one call, a whole input: starting threads per
//! item or per batch would churn the allocator's per-thread heaps.

use std::collections::BTreeMap;
use std::sync::{mpsc, Mutex};

/// Maps every item `next` yields through `work` on `threads` worker
/// threads (at least one), handing each result to `visit` in the order
/// the items came. Stops at the first error of `next` or `visit`; a panic
/// in `work` is raised again on the calling thread. With one thread the
/// calling thread does the work itself: handing each item to a worker
/// and back costs a few microseconds, more than the work on a short JSON
/// Lines record.
pub fn ordered_map<T, U, E>(
    threads: usize,
    mut next: impl FnMut() -> Result<Option<T>, E>,
    work: impl Fn(T) -> U + Sync,
    mut visit: impl FnMut(U) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    U: Send,
{
    if threads <= 1 {
        while let Some(item) = next()? {
            visit(work(item))?;
        }
        return Ok(());
    }
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, T)>(threads);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, U)>();
    let work = &work;
    std::thread::scope(|scope| {
        // Dropped when this closure returns, which stops the workers.
        let job_tx = job_tx;
        for _ in 0..threads {
            let (job_rx, done_tx) = (&job_rx, done_tx.clone());
            scope.spawn(move || loop {
                let job = job_rx
                    .lock()
                    .map_err(|_| ())
                    .and_then(|rx| rx.recv().map_err(|_| ()));
                let Ok((index, item)) = job else {
                    return;
                };
                if done_tx.send((index, work(item))).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let mut ready: BTreeMap<usize, U> = BTreeMap::new();
        let (mut sent, mut visited, mut eof) = (0, 0, false);
        loop {
            while !eof && sent - visited <= threads {
                match next()? {
                    Some(item) => {
                        job_tx.send((sent, item)).expect("workers are running");
                        sent += 1;
                    }
                    None => eof = true,
                }
            }
            if visited == sent {
                return Ok(());
            }
            while !ready.contains_key(&visited) {
                // A worker that panicked drops its sender; the scope then
                // raises the panic again.
                let Ok((index, result)) = done_rx.recv() else {
                    return Ok(());
                };
                ready.insert(index, result);
            }
            let result = ready.remove(&visited).expect("just checked");
            visit(result)?;
            visited += 1;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Results come back in input order however long each item takes, and
    /// never more than `threads + 1` items are in flight; with one thread,
    /// one item at a time, worked on by the calling thread.
    #[test]
    fn results_come_in_input_order_with_bounded_memory() {
        let main = std::thread::current().id();
        for threads in [1, 2, 4] {
            let in_flight = AtomicUsize::new(0);
            let most = AtomicUsize::new(0);
            let mut items = 0..200u64;
            let mut seen = Vec::new();
            ordered_map(
                threads,
                || {
                    let Some(item) = items.next() else {
                        return Ok(None);
                    };
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    Ok::<_, ()>(Some(item))
                },
                |item| {
                    let caller = std::thread::current().id() == main;
                    assert_eq!(caller, threads == 1, "{threads} threads");
                    // Later items finish first now and then.
                    std::thread::sleep(std::time::Duration::from_micros((item * 7919) % 300));
                    item * item
                },
                |square| {
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    seen.push(square);
                    Ok(())
                },
            )
            .unwrap();
            let expected: Vec<u64> = (0..200u64).map(|i| i * i).collect();
            assert_eq!(seen, expected, "{threads} threads");
            assert!(
                most.load(Ordering::SeqCst) <= threads + 1,
                "{threads} threads"
            );
            if threads > 1 {
                assert!(most.load(Ordering::SeqCst) >= 2, "items are read ahead");
            } else {
                assert_eq!(most.load(Ordering::SeqCst), 1);
            }
        }
    }

    /// An error of the reader or of the visitor ends the map at once.
    #[test]
    fn the_first_error_stops_the_map() {
        let mut items = 0..100;
        let mut visited = 0;
        let result = ordered_map(
            2,
            || Ok(items.next()),
            |item| item,
            |item| {
                visited += 1;
                if item == 10 {
                    Err("stop")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err("stop"));
        assert_eq!(visited, 11);
        let mut count = 0;
        let result = ordered_map(
            2,
            || {
                count += 1;
                if count > 5 {
                    Err("unreadable")
                } else {
                    Ok(Some(count))
                }
            },
            |item| item,
            |_| Ok(()),
        );
        assert_eq!(result, Err("unreadable"));
    }
}
