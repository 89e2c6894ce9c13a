//! The SHA-256 bound of a draw: the time for its tickets' compressions alone, one per ticket
//! from the seed's midstate, on every core — what no implementation of the protocol can beat.
//!
//!     cargo run --release -p suiji-draw --example sha256_bound -- TICKETS
//!
//! Prints the wall time. BENCHMARKS.md compares `suiji draw` on a population with that many
//! tickets against it.

use rayon::prelude::*;
use std::time::Instant;
use suiji_draw::TicketHasher;

fn main() {
    let tickets: u64 =
        std::env::args().nth(1).and_then(|a| a.parse().ok()).expect("usage: sha256_bound TICKETS");
    let hasher = TicketHasher::new("25646924322630583082");
    let start = Instant::now();
    // An 18-character id and its copy number: the same one-block messages a draw hashes.
    let folded = (0..tickets)
        .into_par_iter()
        .map(|n| {
            let mut id = *b"914103070000000000";
            let mut k = n / 2;
            for digit in id[8..].iter_mut().rev() {
                *digit = b'0' + (k % 10) as u8;
                k /= 10;
            }
            u64::from(hasher.digest_copy(&id, (n % 2) as u32 + 1)[0])
        })
        .sum::<u64>();
    let elapsed = start.elapsed();
    println!(
        "{tickets} tickets in {:.3} s on {} threads ({:.1} ns a ticket per thread; checksum {folded})",
        elapsed.as_secs_f64(),
        rayon::current_num_threads(),
        elapsed.as_nanos() as f64 * rayon::current_num_threads() as f64 / tickets as f64
    );
}
