//! The Merkle tree over the audit log, exactly as Certificate Transparency defines it (RFC 6962
//! §2.1; the verification algorithms are those of RFC 9162 §2.1.3.2 and §2.1.4.2).
//!
//! The hash chain in [`crate::audit`] shows that the entries someone holds fit together, but not
//! that they are the log everyone else was shown. A signed checkpoint of (size, root) does: anyone
//! who keeps one can later ask for a consistency proof and detect a log that was rewritten,
//! truncated or re-numbered since, and can check that an entry is in the log with an inclusion
//! proof of a few dozen hashes, without the rest of the log.
//!
//! Leaves are hashed as `SHA-256(0x00 || entry)` and inner nodes as `SHA-256(0x01 || left ||
//! right)`, so a leaf can never pass for a node. Pure code, no I/O.

use sha2::{Digest, Sha256};

/// A SHA-256 digest: a leaf hash, a node hash or a tree's root.
pub type Hash = [u8; 32];

/// The leaf hash of an entry: `SHA-256(0x00 || data)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    Sha256::new().chain_update([0x00]).chain_update(data).finalize().into()
}

/// The hash of an inner node: `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    Sha256::new().chain_update([0x01]).chain_update(left).chain_update(right).finalize().into()
}

/// The root of the empty tree, `SHA-256("")` (RFC 6962 §2.1).
fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// Where RFC 6962 splits `n >= 2` leaves: the largest power of two smaller than `n`.
fn split(n: usize) -> usize {
    1 << (n - 1).ilog2()
}

/// The Merkle Tree Hash, MTH, of already leaf-hashed leaves (RFC 6962 §2.1). The empty tree's
/// root is SHA-256 of the empty string; one leaf's tree has that leaf's hash as its root.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The audit path `PATH(m, D[n])` of RFC 6962 §2.1.1 for the leaf at `index` in the tree of all
/// `leaves`: the sibling hashes from the leaf up to the root, the lowest first. One leaf's tree
/// has an empty path.
///
/// # Panics
/// If `index >= leaves.len()`: there is no such leaf to prove, and a caller asking for one has a
/// bug (a verifier gets sizes from outside and is the one that must not panic; it does not).
pub fn inclusion_proof(index: usize, leaves: &[Hash]) -> Vec<Hash> {
    assert!(index < leaves.len(), "inclusion proof for leaf {index} of a tree of {} leaves", leaves.len());
    let mut proof = Vec::new();
    path(index, leaves, &mut proof);
    proof
}

fn path(m: usize, leaves: &[Hash], out: &mut Vec<Hash>) {
    let n = leaves.len();
    if n <= 1 {
        return;
    }
    let k = split(n);
    if m < k {
        path(m, &leaves[..k], out);
        out.push(root(&leaves[k..]));
    } else {
        path(m - k, &leaves[k..], out);
        out.push(root(&leaves[..k]));
    }
}

/// Whether `proof` shows that `leaf` (a leaf hash) is the leaf at `index` of the tree of `size`
/// leaves whose root is `root`: the algorithm of RFC 9162 §2.1.3.2. Needs no leaves, never
/// panics, and is false for an index outside the tree, a proof of the wrong length or any hash
/// that does not fit.
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            // The path is longer than this tree is high.
            return false;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            // The last node of a level with no right sibling moves up unchanged: skip those levels.
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    // `s == 0` means the path reached the root: a path too short fails here.
    s == 0 && r == *root
}

/// The consistency proof `PROOF(m, D[n])` of RFC 6962 §2.1.2, from the tree of the first
/// `old_size` leaves (m) to the tree of all `leaves` (n = `leaves.len()`). It is empty when
/// `m == n` (the trees are the same) and when `m == 0` (the empty tree is a prefix of every tree;
/// RFC 6962 defines the proof only for `0 < m`, and [`verify_consistency`] accepts exactly the
/// empty one there).
///
/// # Panics
/// If `old_size > leaves.len()`: an old tree larger than the new one is a caller's bug.
pub fn consistency_proof(old_size: usize, leaves: &[Hash]) -> Vec<Hash> {
    assert!(
        old_size <= leaves.len(),
        "consistency proof from {old_size} leaves to a tree of {} leaves",
        leaves.len()
    );
    let mut proof = Vec::new();
    if old_size > 0 {
        subproof(old_size, leaves, true, &mut proof);
    }
    proof
}

/// `SUBPROOF(m, D[n], b)` of RFC 6962 §2.1.2; `b` says whether the subtree is the whole old tree,
/// whose root the verifier already has.
fn subproof(m: usize, leaves: &[Hash], b: bool, out: &mut Vec<Hash>) {
    let n = leaves.len();
    if m == n {
        if !b {
            out.push(root(leaves));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof(m, &leaves[..k], b, out);
        out.push(root(&leaves[k..]));
    } else {
        subproof(m - k, &leaves[k..], false, out);
        out.push(root(&leaves[..k]));
    }
}

/// Whether `proof` shows that the tree of `old_size` leaves with root `old_root` is a prefix of
/// the tree of `new_size` leaves with root `new_root`: the algorithm of RFC 9162 §2.1.4.2. Needs
/// no leaves and never panics.
///
/// The cases the RFC leaves to the caller:
/// - `old_size > new_size`: false; a log never shrinks.
/// - `old_size == new_size`: true exactly when the proof is empty and the roots are equal.
/// - `old_size == 0`: true exactly when the proof is empty and `old_root` is the empty tree's
///   root. The empty tree is a prefix of every tree, so any `new_root` is accepted (an empty proof
///   cannot say anything about it; check the new checkpoint's signature for that). A non-empty
///   proof is refused rather than ignored, so that every (sizes, roots) has exactly one proof
///   that verifies, as [`consistency_proof`] generates it.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> bool {
    if old_size > new_size {
        return false;
    }
    if old_size == 0 {
        return proof.is_empty() && *old_root == empty_root() && (new_size > 0 || new_root == old_root);
    }
    if old_size == new_size {
        return proof.is_empty() && old_root == new_root;
    }
    // From here on 0 < old_size < new_size: RFC 9162 §2.1.4.2, step by step.
    // 1. The trees differ, so something must show how.
    let Some((head, tail)) = proof.split_first() else {
        return false;
    };
    // 2. A power-of-two old tree is a whole subtree of the new one: its root starts the path.
    let (first, rest) = if old_size.is_power_of_two() { (old_root, proof) } else { (head, tail) };
    // 3. Skip the levels where the old tree's last node is a right child.
    let (mut f, mut s) = (old_size - 1, new_size - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    // 4–5. Rebuild both roots from the same path.
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    // 6.
    fr == *old_root && sr == *new_root && s == 0
}

/// The incremental root: push leaves one at a time and ask for the root of the tree so far at any
/// moment, in O(log n) time and memory. It keeps only the roots of the perfect subtrees the tree
/// so far splits into (a "compact range"), largest first, one for each bit set in the size. Used
/// to check many checkpoints in one pass over a long log, without holding its leaves.
#[derive(Debug, Clone, Default)]
pub struct Frontier {
    /// Roots of the perfect subtrees covering the leaves so far, left to right; their sizes are
    /// the powers of two of `size`'s set bits, largest first.
    peaks: Vec<Hash>,
    size: u64,
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a leaf hash: merges equal-sized perfect subtrees, like carrying in binary addition.
    pub fn push(&mut self, leaf: Hash) {
        let mut h = leaf;
        let mut s = self.size;
        while s & 1 == 1 {
            // `size` has a set bit here, so a peak of this height is on the stack.
            let left = self.peaks.pop().expect("a peak for each set bit of the size");
            h = node_hash(&left, &h);
            s >>= 1;
        }
        self.peaks.push(h);
        self.size += 1;
    }

    /// A frontier as [`Frontier::parts`] gave it, to go on from a stored checkpoint without
    /// reading the leaves before it; None when the parts cannot be a tree of `size` leaves.
    pub fn from_parts(size: u64, peaks: Vec<Hash>) -> Option<Self> {
        (peaks.len() == size.count_ones() as usize).then_some(Frontier { peaks, size })
    }

    /// The roots of the perfect subtrees, left to right: with the size, all a frontier is.
    pub fn parts(&self) -> &[Hash] {
        &self.peaks
    }

    /// The number of leaves pushed.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root of the tree of the leaves pushed so far; equals [`root`] over them. RFC 6962
    /// splits off the largest perfect subtree on the left at each level, so folding the peaks from
    /// the right gives the same tree.
    pub fn root(&self) -> Hash {
        let mut peaks = self.peaks.iter().rev();
        match peaks.next() {
            None => empty_root(),
            Some(&last) => peaks.fold(last, |r, left| node_hash(left, &r)),
        }
    }
}

/// A whole tree kept in memory, every level of it, for answering many inclusion proofs against
/// one checkpoint: each in O(log n) instead of hashing the log again. Building it hashes each
/// leaf's path once (n − 1 node hashes); it holds about 2n hashes (64 MB for a million entries).
///
/// Level by level, pairing from the left and moving a level's last node up unchanged when it
/// has no right sibling, gives the same tree as RFC 6962's split at the largest power of two:
/// the left part is perfect, so the pairs never straddle the split.
#[derive(Debug, Clone)]
pub struct Tree {
    /// `levels[0]` are the leaves; the last level is the root alone (none for the empty tree).
    levels: Vec<Vec<Hash>>,
}

impl Tree {
    pub fn new(leaves: Vec<Hash>) -> Tree {
        let mut levels = vec![leaves];
        while levels.last().is_some_and(|l| l.len() > 1) {
            let below = levels.last().expect("a level");
            let above = below
                .chunks(2)
                .map(|pair| if let [l, r] = pair { node_hash(l, r) } else { pair[0] })
                .collect();
            levels.push(above);
        }
        Tree { levels }
    }

    /// The number of leaves.
    pub fn size(&self) -> usize {
        self.levels[0].len()
    }

    /// The root; equals [`root`] over the leaves.
    pub fn root(&self) -> Hash {
        self.levels.last().and_then(|l| l.first()).copied().unwrap_or_else(empty_root)
    }

    /// The leaf at `index`, if there is one.
    pub fn leaf(&self, index: usize) -> Option<Hash> {
        self.levels[0].get(index).copied()
    }

    /// The audit path of the leaf at `index`; equals [`inclusion_proof`]. None outside the tree.
    pub fn inclusion_proof(&self, index: usize) -> Option<Vec<Hash>> {
        if index >= self.size() {
            return None;
        }
        let mut proof = Vec::new();
        let mut i = index;
        for level in &self.levels[..self.levels.len() - 1] {
            // A node with no sibling on its level moves up unchanged and adds nothing.
            if let Some(sibling) = level.get(i ^ 1) {
                proof.push(*sibling);
            }
            i >>= 1;
        }
        Some(proof)
    }
}

/// The lower-case hex of a hash (64 digits).
pub fn to_hex(h: &Hash) -> String {
    hex::encode(h)
}

/// Parses a hash from exactly 64 hex digits (either case); `None` for anything else, including
/// surrounding spaces or a `0x` prefix.
pub fn from_hex(s: &str) -> Option<Hash> {
    let mut h = [0u8; 32];
    hex::decode_to_slice(s, &mut h).ok()?;
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_tree_gives_the_same_root_and_paths_as_the_rfc_definition() {
        for n in 0..=70usize {
            let leaves: Vec<Hash> = (0..n).map(|i| leaf_hash(&(i as u64).to_be_bytes())).collect();
            let tree = Tree::new(leaves.clone());
            assert_eq!(tree.size(), n);
            assert_eq!(tree.root(), root(&leaves), "root of {n}");
            for i in 0..n {
                assert_eq!(tree.inclusion_proof(i).unwrap(), inclusion_proof(i, &leaves), "leaf {i} of {n}");
                assert_eq!(tree.leaf(i), Some(leaves[i]));
            }
            assert_eq!(tree.inclusion_proof(n), None);
        }
    }

    /// The leaves of the certificate-transparency / transparency-dev test suite (hex of the
    /// entries, before leaf hashing).
    const VECTOR_LEAVES: [&str; 8] =
        ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    /// MTH of the first n vector leaves, n = 0..=8.
    const VECTOR_ROOTS: [&str; 9] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    /// (index, size, path) from transparency-dev/merkle's reference tests.
    const VECTOR_INCLUSION: [(usize, usize, &[&str]); 7] = [
        (0, 1, &[]),
        (0, 2, &["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]),
        (1, 2, &["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]),
        (2, 3, &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (
            1,
            5,
            &[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
        (
            0,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            8,
            &[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
    ];

    /// (old size, new size, proof) from transparency-dev/merkle's reference tests.
    const VECTOR_CONSISTENCY: [(usize, usize, &[&str]); 4] = [
        (1, 1, &[]),
        (
            1,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            2,
            5,
            &[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
        (
            6,
            8,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
    ];

    /// The largest tree the exhaustive checks build.
    const MAX: usize = 40;

    fn vector_leaves() -> Vec<Hash> {
        VECTOR_LEAVES.iter().map(|l| leaf_hash(&hex::decode(l).unwrap())).collect()
    }

    fn hashes(hex: &[&str]) -> Vec<Hash> {
        hex.iter().map(|h| from_hex(h).unwrap()).collect()
    }

    /// The raw entries of the exhaustive checks: distinct, of varying length.
    fn entries(n: usize) -> Vec<Vec<u8>> {
        (0..n).map(|i| format!("entry {i}").into_bytes()).collect()
    }

    fn leaves(n: usize) -> Vec<Hash> {
        entries(n).iter().map(|e| leaf_hash(e)).collect()
    }

    fn flipped(h: &Hash, byte: usize) -> Hash {
        let mut h = *h;
        h[byte % 32] ^= 0x01;
        h
    }

    #[test]
    fn hashes_are_domain_separated() {
        assert_eq!(to_hex(&leaf_hash(b"")), VECTOR_ROOTS[1]);
        let (a, b) = (leaf_hash(b"a"), leaf_hash(b"b"));
        let mut concat = a.to_vec();
        concat.extend_from_slice(&b);
        // A node is not the leaf of its children's concatenation, and order matters.
        assert_ne!(node_hash(&a, &b), leaf_hash(&concat));
        assert_ne!(node_hash(&a, &b), node_hash(&b, &a));
    }

    #[test]
    fn vector_roots() {
        let leaves = vector_leaves();
        for (n, expected) in VECTOR_ROOTS.iter().enumerate() {
            assert_eq!(to_hex(&root(&leaves[..n])), *expected, "root of {n} leaves");
        }
    }

    #[test]
    fn vector_inclusion_proofs() {
        let leaves = vector_leaves();
        for (index, size, expected) in VECTOR_INCLUSION {
            let proof = inclusion_proof(index, &leaves[..size]);
            assert_eq!(proof, hashes(expected), "path of {index} in {size}");
            let r = from_hex(VECTOR_ROOTS[size]).unwrap();
            assert!(verify_inclusion(index as u64, size as u64, &leaves[index], &proof, &r));
        }
    }

    #[test]
    fn vector_consistency_proofs() {
        let leaves = vector_leaves();
        for (old, new, expected) in VECTOR_CONSISTENCY {
            let proof = consistency_proof(old, &leaves[..new]);
            assert_eq!(proof, hashes(expected), "proof from {old} to {new}");
            let (old_root, new_root) =
                (from_hex(VECTOR_ROOTS[old]).unwrap(), from_hex(VECTOR_ROOTS[new]).unwrap());
            assert!(verify_consistency(old as u64, new as u64, &old_root, &new_root, &proof));
        }
    }

    #[test]
    fn inclusion_proofs_verify_and_bind_everything() {
        let leaves = leaves(MAX + 1);
        let roots: Vec<Hash> = (0..=MAX + 1).map(|n| root(&leaves[..n])).collect();
        // Every (index, size) with its proof, so each proof can be tried against all the others.
        let cases: Vec<(usize, usize, Vec<Hash>)> = (1..=MAX)
            .flat_map(|n| (0..n).map(move |i| (i, n)))
            .map(|(i, n)| (i, n, inclusion_proof(i, &leaves[..n])))
            .collect();
        for (i, n, proof) in &cases {
            let (i, n) = (*i, *n);
            let (leaf, r) = (&leaves[i], &roots[n]);
            assert!(verify_inclusion(i as u64, n as u64, leaf, proof, r), "{i} in {n}");
            // The path is as long as the leaf's depth: at most ⌈log2 n⌉.
            assert!(proof.len() <= (n as u64).next_power_of_two().ilog2() as usize);
            for (k, p) in proof.iter().enumerate() {
                for byte in [0, 13, 31] {
                    let mut bad = proof.clone();
                    bad[k] = flipped(p, byte);
                    assert!(!verify_inclusion(i as u64, n as u64, leaf, &bad, r));
                }
            }
            for byte in [0, 31] {
                assert!(!verify_inclusion(i as u64, n as u64, &flipped(leaf, byte), proof, r));
                assert!(!verify_inclusion(i as u64, n as u64, leaf, proof, &flipped(r, byte)));
            }
            // A hash too many or too few.
            let mut longer = proof.clone();
            longer.push(*r);
            assert!(!verify_inclusion(i as u64, n as u64, leaf, &longer, r));
            if !proof.is_empty() {
                assert!(!verify_inclusion(i as u64, n as u64, leaf, &proof[..proof.len() - 1], r));
            }
            // Out of range, and absurd sizes, fail without panicking.
            assert!(!verify_inclusion(n as u64, n as u64, leaf, proof, r));
            assert!(!verify_inclusion(u64::MAX, u64::MAX, leaf, proof, r));
            assert!(!verify_inclusion(i as u64, u64::MAX, leaf, proof, r));
            // Presented as the proof of any other (index, size), against that tree's real leaf
            // and root, it verifies only where it is that position's own proof.
            for (j, m, other) in &cases {
                let ok = verify_inclusion(*j as u64, *m as u64, &leaves[*j], proof, &roots[*m]);
                assert_eq!(ok, proof == other, "proof of {i} in {n} checked as {j} in {m}");
            }
        }
        assert!(!verify_inclusion(0, 0, &leaves[0], &[], &roots[0]));
    }

    #[test]
    #[should_panic(expected = "inclusion proof for leaf 3 of a tree of 3 leaves")]
    fn inclusion_proof_outside_the_tree_panics() {
        inclusion_proof(3, &leaves(3));
    }

    #[test]
    fn consistency_proofs_verify_and_bind_everything() {
        let leaves = leaves(MAX);
        let roots: Vec<Hash> = (0..=MAX).map(|n| root(&leaves[..n])).collect();
        let cases: Vec<(usize, usize, Vec<Hash>)> = (0..=MAX)
            .flat_map(|n| (0..=n).map(move |m| (m, n)))
            .map(|(m, n)| (m, n, consistency_proof(m, &leaves[..n])))
            .collect();
        for (m, n, proof) in &cases {
            let (m, n) = (*m, *n);
            let (old, new) = (&roots[m], &roots[n]);
            assert!(verify_consistency(m as u64, n as u64, old, new, proof), "{m} to {n}");
            assert_eq!(proof.is_empty(), m == 0 || m == n);
            for (k, p) in proof.iter().enumerate() {
                for byte in [0, 13, 31] {
                    let mut bad = proof.clone();
                    bad[k] = flipped(p, byte);
                    assert!(!verify_consistency(m as u64, n as u64, old, new, &bad));
                }
            }
            for byte in [0, 31] {
                assert!(!verify_consistency(m as u64, n as u64, &flipped(old, byte), new, proof));
                // Only the empty old tree says nothing about the new root.
                let ok = verify_consistency(m as u64, n as u64, old, &flipped(new, byte), proof);
                assert_eq!(ok, m == 0 && n > 0, "{m} to {n} with a wrong new root");
            }
            let mut longer = proof.clone();
            longer.push(*new);
            assert!(!verify_consistency(m as u64, n as u64, old, new, &longer));
            if !proof.is_empty() {
                assert!(!verify_consistency(m as u64, n as u64, old, new, &proof[..proof.len() - 1]));
            }
            // A log that shrank, and absurd sizes, fail without panicking.
            if m < n {
                assert!(!verify_consistency(n as u64, m as u64, new, old, proof));
            }
            assert!(!verify_consistency(m as u64, u64::MAX, old, new, proof) || m == 0);
            assert!(!verify_consistency(u64::MAX, u64::MAX, old, new, proof) || (m == n && proof.is_empty()));
            // Checked as the proof between any other two sizes, against those trees' real
            // roots, it verifies only where it is that pair's own proof.
            for (m2, n2, other) in &cases {
                let ok = verify_consistency(*m2 as u64, *n2 as u64, &roots[*m2], &roots[*n2], proof);
                assert_eq!(ok, proof == other, "proof from {m} to {n} checked from {m2} to {n2}");
            }
        }
    }

    #[test]
    fn consistency_edge_cases() {
        let leaves = leaves(5);
        let (empty, r3, r5) = (root(&[]), root(&leaves[..3]), root(&leaves));
        let proof = consistency_proof(3, &leaves);
        // From the empty tree: any new tree, but only with an empty proof and the real empty root.
        assert!(verify_consistency(0, 5, &empty, &r5, &[]));
        assert!(verify_consistency(0, 0, &empty, &empty, &[]));
        assert!(!verify_consistency(0, 0, &empty, &r5, &[]));
        assert!(!verify_consistency(0, 5, &r3, &r5, &[]));
        assert!(!verify_consistency(0, 5, &empty, &r5, &proof));
        // Same size: same root, empty proof.
        assert!(verify_consistency(5, 5, &r5, &r5, &[]));
        assert!(!verify_consistency(5, 5, &r5, &r5, &proof));
        assert!(!verify_consistency(5, 5, &r3, &r5, &[]));
        // Shrinking, and an empty proof between different non-empty trees.
        assert!(!verify_consistency(5, 3, &r5, &r3, &proof));
        assert!(!verify_consistency(3, 5, &r3, &r5, &[]));
        assert!(!verify_consistency(4, 5, &root(&leaves[..4]), &r5, &[]));
        assert!(verify_consistency(3, 5, &r3, &r5, &proof));
    }

    #[test]
    #[should_panic(expected = "consistency proof from 4 leaves to a tree of 3 leaves")]
    fn consistency_proof_from_a_larger_tree_panics() {
        consistency_proof(4, &leaves(3));
    }

    #[test]
    fn frontier_gives_the_root_of_every_prefix() {
        let leaves = leaves(300);
        let mut frontier = Frontier::new();
        assert_eq!((frontier.size(), frontier.root()), (0, root(&[])));
        for (k, leaf) in leaves.iter().enumerate() {
            frontier.push(*leaf);
            assert_eq!(frontier.size(), k as u64 + 1);
            assert_eq!(frontier.root(), root(&leaves[..=k]), "after {} pushes", k + 1);
            // One peak per set bit of the size: O(log n) memory.
            assert_eq!(frontier.peaks.len(), (k + 1).count_ones() as usize);
        }
        // Stored as parts and taken up again, it goes on as if never put down.
        let mut resumed =
            Frontier::from_parts(frontier.size(), frontier.parts().to_vec()).expect("its own parts");
        resumed.push(leaf_hash(b"next"));
        let mut direct = frontier.clone();
        direct.push(leaf_hash(b"next"));
        assert_eq!(resumed.root(), direct.root());
        assert!(Frontier::from_parts(frontier.size() + 1, frontier.parts().to_vec()).is_none());
        let before = frontier.clone();
        frontier.push(leaf_hash(b"one more"));
        assert_ne!(before.root(), frontier.root());
        assert_eq!(before.size() + 1, frontier.size());
    }

    #[test]
    fn hex_round_trips_and_rejects_anything_else() {
        let h = leaf_hash(b"x");
        let s = to_hex(&h);
        assert_eq!(s.len(), 64);
        assert_eq!(s, s.to_lowercase());
        assert_eq!(from_hex(&s), Some(h));
        assert_eq!(from_hex(&s.to_uppercase()), Some(h));
        for bad in [
            String::new(),
            s[..63].to_string(),
            format!("{s}0"),
            format!("{}gg", &s[..62]),
            format!("0x{}", &s[..62]),
            format!(" {}", &s[1..]),
            format!("{}é", &s[..62]),
        ] {
            assert_eq!(from_hex(&bad), None, "{bad:?}");
        }
    }

    /// The same trees, proofs and verdicts as the `ct-merkle` crate, an independent
    /// implementation (it computes the tree with array-based node indices, not by recursion).
    #[test]
    fn agrees_with_ct_merkle() {
        use ct_merkle::mem_backed_tree::MemoryBackedTree;
        use ct_merkle::{ConsistencyProof, InclusionProof};

        let flat = |proof: &[Hash]| proof.concat();
        let entries = entries(MAX);
        let leaves: Vec<Hash> = entries.iter().map(|e| leaf_hash(e)).collect();
        let mut tree = MemoryBackedTree::<Sha256, Vec<u8>>::new();
        let mut their_roots = vec![tree.root()];
        for n in 0..=MAX {
            if n > 0 {
                tree.push(entries[n - 1].clone());
                their_roots.push(tree.root());
            }
            let ours = root(&leaves[..n]);
            assert_eq!(tree.root().as_bytes().as_slice(), ours, "root of {n}");
            for (i, entry) in entries[..n].iter().enumerate() {
                let proof = inclusion_proof(i, &leaves[..n]);
                assert_eq!(tree.prove_inclusion(i).as_bytes(), flat(&proof), "path of {i} in {n}");
                let theirs = InclusionProof::<Sha256>::from_digests(proof.iter().map(|h| h.into()));
                assert!(tree.root().verify_inclusion(entry, i as u64, &theirs).is_ok());
            }
            for (m, old) in their_roots.iter().enumerate().take(n + 1).skip(1) {
                let proof = consistency_proof(m, &leaves[..n]);
                assert_eq!(tree.prove_consistency(n - m).as_bytes(), flat(&proof), "proof from {m} to {n}");
                let theirs = ConsistencyProof::<Sha256>::from_digests(proof.iter().map(|h| h.into()));
                assert!(tree.root().verify_consistency(old, &theirs).is_ok());
            }
        }
    }
}
