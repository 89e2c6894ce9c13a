//! Tickets (protocol §1).
//!
//! `ticket(S, x) = "0." + reverse(decimal(SHA-256(hex(SHA-256(S)) ‖ x)) padded to 64 digits)`.
//!
//! Two things make tickets cheap in bulk:
//! - `hex(SHA-256(S))` is exactly one 64-byte block, so [`TicketHasher`] compresses it once and
//!   resumes from that state: a short name costs one compression.
//! - Tickets compare as strings, and a ticket's first 19 digits are the last 19 decimal digits
//!   of the digest, reversed. [`prefix`] turns those into a `u64` whose order is the strings'
//!   order, so ranking compares integers and builds a full decimal string only for a tie of the
//!   prefixes (odds about 1 in 10^19 per pair) and for what is printed.

use sha2::{Digest as _, Sha256, block_api::compress256};
use std::cmp::Ordering;

/// A SHA-256 digest, read as a big-endian 256-bit number.
pub type Digest = [u8; 32];

/// SHA-256's initial state (FIPS 180-4 §5.3.3).
const SHA256_IV: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// Names up to this many bytes fit in the single final block (64 − 1 byte of 0x80 − 8 of length).
const ONE_BLOCK_NAME: usize = 55;

/// Hashes ticket names under one seed.
#[derive(Clone, Debug)]
pub struct TicketHasher {
    /// `hex(SHA-256(seed))`, the constant first block of every ticket's message.
    seed_hex: [u8; 64],
    /// SHA-256 state after compressing `seed_hex`.
    midstate: [u32; 8],
}

impl TicketHasher {
    pub fn new(seed: &str) -> Self {
        let mut seed_hex = [0u8; 64];
        for (pair, byte) in seed_hex.chunks_exact_mut(2).zip(Sha256::digest(seed.as_bytes())) {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            pair[0] = HEX[usize::from(byte >> 4)];
            pair[1] = HEX[usize::from(byte & 15)];
        }
        let mut midstate = SHA256_IV;
        compress256(&mut midstate, &[seed_hex]);
        TicketHasher { seed_hex, midstate }
    }

    /// `SHA-256(H ‖ name)`.
    pub fn digest(&self, name: &[u8]) -> Digest {
        if name.len() > ONE_BLOCK_NAME {
            let mut h = Sha256::new();
            h.update(self.seed_hex);
            h.update(name);
            return h.finalize().into();
        }
        let mut block = [0u8; 64];
        block[..name.len()].copy_from_slice(name);
        self.finish_one_block(block, name.len())
    }

    /// The digest of the `copy`-th ticket name of an entity: `id` for copy 1, else `id#copy`
    /// (protocol §2, step 1) — without building the name as a string.
    pub fn digest_copy(&self, id: &[u8], copy: u32) -> Digest {
        if copy == 1 {
            return self.digest(id);
        }
        let mut suffix = [0u8; 11];
        let suffix = copy_suffix(copy, &mut suffix);
        let len = id.len() + suffix.len();
        if len > ONE_BLOCK_NAME {
            let mut name = id.to_vec();
            name.extend_from_slice(suffix);
            return self.digest(&name);
        }
        let mut block = [0u8; 64];
        block[..id.len()].copy_from_slice(id);
        block[id.len()..len].copy_from_slice(suffix);
        self.finish_one_block(block, len)
    }

    /// Pads `block`, holding a `len`-byte name, and compresses it from the midstate.
    fn finish_one_block(&self, mut block: [u8; 64], len: usize) -> Digest {
        block[len] = 0x80;
        let message_bits = ((64 + len) as u64) * 8;
        block[56..].copy_from_slice(&message_bits.to_be_bytes());
        let mut state = self.midstate;
        compress256(&mut state, &[block]);
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

/// Writes `#copy` into `buf` and returns it.
fn copy_suffix(copy: u32, buf: &mut [u8; 11]) -> &[u8] {
    let mut i = buf.len();
    let mut n = copy;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    i -= 1;
    buf[i] = b'#';
    &buf[i..]
}

/// The `copy`-th ticket name of an entity (`id`, `id#2`, …).
pub fn ticket_name(id: &str, copy: u32) -> String {
    if copy == 1 { id.to_owned() } else { format!("{id}#{copy}") }
}

/// The digest as eight 32-bit words, most significant first.
fn words(d: &Digest) -> [u32; 8] {
    std::array::from_fn(|i| u32::from_be_bytes(d[i * 4..i * 4 + 4].try_into().expect("4 bytes")))
}

/// 5^19: with 2^19, the two coprime factors of 10^19.
const FIVE_POW_19: u64 = 19_073_486_328_125;
const TWO_POW_19_MASK: u64 = (1 << 19) - 1;

/// 2^(32·i) mod 5^19, for the eight words of a digest (least significant first).
const WORD_WEIGHTS: [u64; 8] = {
    let mut w = [0u64; 8];
    let mut i = 0;
    let mut p: u128 = 1;
    while i < 8 {
        w[i] = p as u64;
        p = (p << 32) % FIVE_POW_19 as u128;
        i += 1;
    }
    w
};

/// 2^64 mod 5^19.
const TWO_POW_64_MOD: u64 = ((1u128 << 64) % FIVE_POW_19 as u128) as u64;

/// The inverse of 5^19 modulo 2^19 (Newton's iteration: each step doubles the correct bits).
const FIVE_POW_19_INVERSE: u64 = {
    let mut x: u64 = 1;
    let mut i = 0;
    while i < 5 {
        x = x.wrapping_mul(2u64.wrapping_sub(FIVE_POW_19.wrapping_mul(x)));
        i += 1;
    }
    x & TWO_POW_19_MASK
};

/// `n mod 10^19`, the last 19 decimal digits of the digest, by the Chinese remainder theorem:
/// the residue mod 2^19 is the low bits, the residue mod 5^19 a sum of words times constants,
/// and every division is by a constant (a multiplication), unlike a 256-bit division by 10^19.
fn low_19_digits(d: &Digest) -> u64 {
    let w = words(d);
    let mut sum: u128 = 0;
    for (i, weight) in WORD_WEIGHTS.iter().enumerate() {
        sum += u128::from(w[7 - i]) * u128::from(*weight);
    }
    // sum < 2^80: fold the high part once more, then reduce.
    let high = (sum >> 64) as u64 * TWO_POW_64_MOD % FIVE_POW_19;
    let b = (high + (sum as u64) % FIVE_POW_19) % FIVE_POW_19;
    let a = u64::from(w[7]) & TWO_POW_19_MASK;
    let t = a.wrapping_sub(b).wrapping_mul(FIVE_POW_19_INVERSE) & TWO_POW_19_MASK;
    b + FIVE_POW_19 * t
}

/// Each 4-digit number's digits reversed: `REVERSE_4[1234] == 4321`, `REVERSE_4[12] == 2100`.
static REVERSE_4: [u16; 10_000] = {
    let mut t = [0u16; 10_000];
    let mut i = 0;
    while i < 10_000 {
        t[i] = ((i % 10) * 1000 + (i / 10 % 10) * 100 + (i / 100 % 10) * 10 + i / 1000) as u16;
        i += 1;
    }
    t
};

/// Reverses the 19 decimal digits (with leading zeros) of `n < 10^19`, four at a time.
fn reverse_19_digits(n: u64) -> u64 {
    let r = |g: u64| u64::from(REVERSE_4[g as usize]);
    let (g0, n) = (n % 10_000, n / 10_000);
    let (g1, n) = (n % 10_000, n / 10_000);
    let (g2, n) = (n % 10_000, n / 10_000);
    let (g3, g4) = (n % 10_000, n / 10_000);
    r(g0) * 1_000_000_000_000_000 + r(g1) * 100_000_000_000 + r(g2) * 10_000_000 + r(g3) * 1_000 + r(g4) / 10
}

/// The ticket's first digit (the number's last decimal digit), for a few operations: the last
/// bit gives it mod 2, and since 2^32 ≡ 1 (mod 5) the sum of the words gives it mod 5.
/// A ticket whose first digit is `f` has a [`prefix`] from `f·10^18` to `(f+1)·10^18 - 1`.
pub fn first_digit(d: &Digest) -> u64 {
    let w = words(d);
    let mod_5 = w.iter().map(|&x| u64::from(x)).sum::<u64>() % 5;
    let mod_2 = u64::from(w[7] & 1);
    if mod_5 % 2 == mod_2 { mod_5 } else { mod_5 + 5 }
}

/// The first 19 digits of the ticket as an integer: equal-length digit strings compare like
/// their values, so `prefix(a) < prefix(b)` implies `ticket(a) < ticket(b)`.
pub fn prefix(d: &Digest) -> u64 {
    reverse_19_digits(low_19_digits(d))
}

/// The full ticket string of a digest: `"0."` and the digits of the number, padded to 64 with
/// leading zeros, reversed — that is, least significant digit first.
pub fn ticket_string(d: &Digest) -> String {
    const BILLION: u64 = 1_000_000_000;
    let mut n = words(d);
    let mut ticket = String::with_capacity(80);
    ticket.push_str("0.");
    // Divide by 10^9 (a constant: multiplications) and emit each remainder's digits, lowest first.
    while n != [0; 8] {
        let mut rem: u64 = 0;
        for word in n.iter_mut() {
            let cur = (rem << 32) | u64::from(*word);
            *word = (cur / BILLION) as u32;
            rem = cur % BILLION;
        }
        let last = n == [0; 8];
        for _ in 0..9 {
            if last && rem == 0 {
                break;
            }
            ticket.push(char::from(b'0' + (rem % 10) as u8));
            rem /= 10;
        }
    }
    while ticket.len() < 2 + 64 {
        ticket.push('0');
    }
    ticket
}

/// `ticket(S, x)` of protocol §1, the slow and obvious way: for docs, tests and one-offs.
pub fn ticket(seed: &str, name: &str) -> String {
    ticket_string(&TicketHasher::new(seed).digest(name.as_bytes()))
}

/// A ticket held cheaply: its 19-digit prefix and the digest to rebuild the rest on a tie.
#[derive(Clone, Copy, Debug)]
pub struct Ticket {
    pub prefix: u64,
    pub digest: Digest,
}

impl Ticket {
    pub fn new(digest: Digest) -> Self {
        Ticket { prefix: prefix(&digest), digest }
    }

    /// Orders tickets as their strings order.
    pub fn cmp_value(&self, other: &Ticket) -> Ordering {
        self.prefix
            .cmp(&other.prefix)
            .then_with(|| ticket_string(&self.digest).cmp(&ticket_string(&other.digest)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;

    #[test]
    fn worked_examples_of_the_protocol() {
        assert_eq!(
            ticket("01382438112797316654", "AB-130"),
            "0.26299714122838008416507544297546663599715395525154425586041245287750224561854"
        );
        assert_eq!(
            ticket("2026112201234567890/LY-2026-003", "91410307MA9XXXXXXX"),
            "0.2167166094550195319076601626419395782258778555440930614941997306571461086812"
        );
    }

    #[test]
    fn seed_hex_is_the_lowercase_hex_of_the_seed_hash() {
        let h = TicketHasher::new("01382438112797316654");
        assert_eq!(
            std::str::from_utf8(&h.seed_hex).unwrap(),
            "a9c6a8879a42dc078b0393ba293718410cde1dd546180fe1fb41caab3b7c7ca0"
        );
    }

    #[test]
    fn small_numbers_are_padded_to_64_digits() {
        let mut d = [0u8; 32];
        d[31] = 12;
        assert_eq!(ticket_string(&d), format!("0.21{}", "0".repeat(62)));
        assert_eq!(ticket_string(&[0; 32]), format!("0.{}", "0".repeat(64)));
        assert_eq!(prefix(&d), 2_100_000_000_000_000_000);
    }

    #[test]
    fn tickets_with_equal_prefixes_compare_by_their_full_strings() {
        // Equal in the last 19 digits, so equal prefixes: the order comes from the rest.
        let low = BigUint::from(1_234_567_890_123_456_789u64);
        let ten19 = BigUint::from(10_000_000_000_000_000_000u64);
        let digest = |n: BigUint| -> Digest {
            let bytes = n.to_bytes_be();
            let mut d = [0u8; 32];
            d[32 - bytes.len()..].copy_from_slice(&bytes);
            d
        };
        let a = Ticket::new(digest(&low + &ten19 * 7u32));
        let b = Ticket::new(digest(&low + &ten19 * 3u32));
        assert_eq!(a.prefix, b.prefix);
        assert_eq!(ticket_string(&b.digest), format!("0.98765432109876543213{}", "0".repeat(44)));
        assert_eq!(a.cmp_value(&b), Ordering::Greater);
        assert_eq!(b.cmp_value(&a), Ordering::Less);
        assert_eq!(a.cmp_value(&a), Ordering::Equal);
    }

    fn reference_ticket(seed: &str, name: &str) -> String {
        let h: String = Sha256::digest(seed.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        let d = Sha256::digest(format!("{h}{name}").as_bytes());
        let digits = format!("{:0>64}", BigUint::from_bytes_be(&d).to_str_radix(10));
        format!("0.{}", digits.chars().rev().collect::<String>())
    }

    proptest! {
        #[test]
        fn resumed_hashing_matches_plain_sha256(seed in ".{0,40}", name in ".{0,90}") {
            prop_assert_eq!(ticket(&seed, &name), reference_ticket(&seed, &name));
        }

        #[test]
        fn copies_hash_their_names(id in "[0-9A-Z个体-]{1,60}", copy in 1u32..5000) {
            let h = TicketHasher::new("seed");
            prop_assert_eq!(h.digest_copy(id.as_bytes(), copy), h.digest(ticket_name(&id, copy).as_bytes()));
        }

        #[test]
        fn prefix_order_is_string_order(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
            let (sa, sb) = (ticket_string(&a), ticket_string(&b));
            prop_assert_eq!(&sa[2..21], &format!("{:019}", prefix(&a)));
            if prefix(&a) != prefix(&b) {
                prop_assert_eq!(prefix(&a).cmp(&prefix(&b)), sa.cmp(&sb));
            }
            prop_assert_eq!(Ticket::new(a).cmp_value(&Ticket::new(b)), sa.cmp(&sb));
        }

        #[test]
        fn the_first_digit_is_the_tickets(d in any::<[u8; 32]>()) {
            let first = ticket_string(&d).as_bytes()[2] - b'0';
            prop_assert_eq!(first_digit(&d), u64::from(first));
            prop_assert_eq!(prefix(&d) / 1_000_000_000_000_000_000, u64::from(first));
        }

        #[test]
        fn decimal_digits_match_a_bignum(d in any::<[u8; 32]>()) {
            let digits = format!("{:0>64}", BigUint::from_bytes_be(&d).to_str_radix(10));
            let expected = format!("0.{}", digits.chars().rev().collect::<String>());
            prop_assert_eq!(ticket_string(&d), expected);
        }
    }
}
