import Crypto
import Foundation
import Hashing
@testable import IssuanceLog
import Testing

/// The Merkle tree of RFC 6962 against a direct transcription of its
/// recursive definitions (§2.1), for every tree size up to 70 and every leaf.
struct MerkleTreeTests {
    static func mth(_ leaves: ArraySlice<Data>) -> Data {
        if leaves.isEmpty { return Digest.sha256(Data()) }
        if leaves.count == 1 { return Digest.sha256(Data([0]) + leaves.first!) }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        let start = leaves.startIndex
        return Digest.sha256(Data([1]) + mth(leaves[start..<start + k]) + mth(leaves[(start + k)...]))
    }

    let leaves: [Data] = (0..<70).map { Data("entry \($0)".utf8) }

    @Test func rootsProofsAndConsistencyAgreeWithTheDefinitions() {
        let tree = MerkleTree(leafHashes: leaves.map(MerkleTree.leafHash))
        #expect(tree.root(size: 0) == Digest.sha256(Data()))
        for size in 1...leaves.count {
            let root = tree.root(size: size)
            #expect(root == Self.mth(leaves[0..<size]), "size \(size)")
            for index in 0..<size {
                let proof = tree.inclusionProof(index: index, treeSize: size)
                #expect(MerkleTree.verifyInclusion(leafHash: MerkleTree.leafHash(leaves[index]), index: index,
                                                   treeSize: size, proof: proof, root: root))
                // Another leaf, another index or a changed hash fails.
                #expect(!MerkleTree.verifyInclusion(leafHash: MerkleTree.leafHash(Data("x".utf8)), index: index,
                                                    treeSize: size, proof: proof, root: root))
                if size > 1 {
                    #expect(!MerkleTree.verifyInclusion(leafHash: MerkleTree.leafHash(leaves[index]),
                                                        index: (index + 1) % size, treeSize: size, proof: proof, root: root))
                }
            }
            for old in 1...size {
                let proof = tree.consistencyProof(oldSize: old, newSize: size)
                #expect(MerkleTree.verifyConsistency(oldSize: old, newSize: size, oldRoot: tree.root(size: old),
                                                     newRoot: root, proof: proof), "\(old) → \(size)")
                if old < size {
                    let forked = Digest.sha256(Data("fork".utf8))
                    #expect(!MerkleTree.verifyConsistency(oldSize: old, newSize: size, oldRoot: forked,
                                                          newRoot: root, proof: proof))
                }
            }
        }
    }

    @Test func tilePathsAndWidthsFollowTlogTiles() {
        #expect(Tiles.indexPath(0) == "000")
        #expect(Tiles.indexPath(1234067) == "x001/x234/067")
        #expect(Tiles.indexPath(1000) == "x001/000")
        #expect(Tiles.tilePath(level: 1, index: 5, width: 17) == "tile/1/005.p/17")
        #expect(Tiles.entriesPath(index: 273) == "tile/entries/273")
        // The example of c2sp.org/tlog-tiles: a tree of 70,000 entries.
        let tree = MerkleTree(leafHashes: (0..<70_000).map { MerkleTree.leafHash(Data("\($0)".utf8)) })
        let tiles = Tiles.tiles(of: tree, size: 70_000)
        #expect(tiles.filter { $0.level == 0 && $0.isFull }.count == 273)
        #expect(tiles.filter { $0.level == 0 && !$0.isFull }.map(\.width) == [112])
        #expect(tiles.filter { $0.level == 1 && $0.isFull }.count == 1)
        #expect(tiles.filter { $0.level == 1 && !$0.isFull }.map(\.width) == [17])
        #expect(tiles.filter { $0.level == 2 }.map(\.width) == [1])
        #expect(tiles.count == 277)
        #expect(Set(Tiles.partialTiles(of: tree, size: 70_000)) == Set(tiles.filter { !$0.isFull }))
        // A tree of 256: one full level-0 tile and a level-1 tile of width 1.
        #expect(Tiles.tiles(of: tree, size: 256).map(\.path) == ["tile/0/000", "tile/1/000.p/1"])
    }

    @Test func bundlesFrameEntriesWithTheirLength() throws {
        let entries = [Data("a".utf8), Data(), Data(repeating: 7, count: 300)]
        let bundle = Tiles.bundle(entries)
        #expect(bundle.prefix(3) == Data([0, 1, 0x61]))
        #expect(Tiles.entries(ofBundle: bundle) == entries)
        #expect(Tiles.entries(ofBundle: bundle.dropLast()) == nil)
    }

    @Test func checkpointsSignAndVerifyAsSignedNotes() throws {
        let key = LogKey(name: "verify.example.ac.id/log", privateKey: Curve25519.Signing.PrivateKey())
        let checkpoint = Checkpoint(origin: key.name, size: 3, root: Digest.sha256(Data("r".utf8)))
        let note = try checkpoint.signed(by: key)
        #expect(note.hasPrefix("verify.example.ac.id/log\n3\n\(checkpoint.root.base64EncodedString())\n\n— verify.example.ac.id/log "))
        let verifier = try #require(VerifierKey(key.verifier.vkey))
        #expect(try Checkpoint.verify(note, with: verifier) == checkpoint)
        // The key ID is SHA-256(name ‖ "\n" ‖ 0x01 ‖ key)[0..4], named in the vkey.
        let id = Digest.sha256(Data("verify.example.ac.id/log\n".utf8) + Data([1]) + key.privateKey.publicKey.rawRepresentation).prefix(4)
        #expect(key.verifier.vkey.split(separator: "+")[1] == Substring(Digest.hex(Data(id))))
        // A changed body, another key, or a vkey with a wrong ID is refused.
        #expect(throws: Checkpoint.VerificationError.badSignature(key.name)) {
            try Checkpoint.verify(note.replacingOccurrences(of: "\n3\n", with: "\n4\n"), with: verifier)
        }
        let other = LogKey(name: key.name, privateKey: Curve25519.Signing.PrivateKey())
        #expect(throws: Checkpoint.VerificationError.noSignatureByKey(key.name)) {
            try Checkpoint.verify(note, with: other.verifier)
        }
        let parts = key.verifier.vkey.split(separator: "+")
        #expect(VerifierKey("\(parts[0])+00000000+\(parts[2])") == nil)
    }

    @Test func checkpointNotesAreReadAsBytes() throws {
        let key = LogKey(name: "verify.example.ac.id/log", privateKey: Curve25519.Signing.PrivateKey())
        let checkpoint = Checkpoint(origin: key.name, size: 5_000, root: Digest.sha256(Data("r".utf8)))
        let note = try checkpoint.signed(by: key)
        let read = try Checkpoint.unverified(note, signedBy: key.verifier)
        #expect(read.checkpoint == checkpoint)
        #expect(read.body == Data(checkpoint.body.utf8))
        #expect(read.signatures.count == 1)
        // A second signature, by another key, is skipped; one by the log's key is enough.
        let other = LogKey(name: "witness.example", privateKey: Curve25519.Signing.PrivateKey())
        let cosigned = note + "— \(other.name) \(Data(repeating: 9, count: 68).base64EncodedString())\n"
        #expect(try Checkpoint.unverified(cosigned, signedBy: key.verifier).signatures == read.signatures)
        #expect(try Checkpoint.verify(cosigned, with: key.verifier) == checkpoint)
        // Every malformed shape is named as such.
        let body = checkpoint.body, signature = String(note.dropFirst(body.count + 1))
        let malformed = [
            body + signature,                                                        // no blank line
            note.replacingOccurrences(of: "\n5000\n", with: "\n05000\n"),              // a size not in canonical form
            note.replacingOccurrences(of: "\n5000\n", with: "\n+5000\n"),
            note.replacingOccurrences(of: "\n5000\n", with: "\n-1\n"),
            "\n5000\n" + body.split(separator: "\n")[2] + "\n\n" + signature,         // no origin
            key.name + "\n5000\n\n" + signature,                                      // no root
            String(note.dropLast()),                                                 // no final newline
            note.replacingOccurrences(of: "— ", with: "- "),                         // not an em dash
            note.replacingOccurrences(of: "\n\n— ", with: "\n\n—  "),                 // four fields
        ]
        for text in malformed {
            do {
                _ = try Checkpoint.unverified(text, signedBy: key.verifier)
                Issue.record("a malformed note was read: \(text)")
            } catch Checkpoint.VerificationError.malformed {
            } catch {
                Issue.record("\(error) instead of malformed for \(text)")
            }
        }
        // A multi-byte origin is read back whole.
        let named = LogKey(name: "verifikasi.universitas.example/log-ñ", privateKey: Curve25519.Signing.PrivateKey())
        let accented = try Checkpoint(origin: named.name, size: 1, root: checkpoint.root).signed(by: named)
        #expect(try Checkpoint.verify(accented, with: named.verifier).origin == named.name)
    }

    @Test func entriesReadBackOnlyInTheirCanonicalForm() throws {
        let entry = LogEntry(kind: .documentInvalidated, time: "2026-12-07T00:51:50Z", token: "AbC", sha256: "00ff",
                             serial: "0a", fingerprint: "ee", status: "invalidated", reason: "Salah \"cetak\"\nlagi")
        #expect(entry.text.contains("reason \"Salah \\\"cetak\\\"\\nlagi\"\n"))
        #expect(LogEntry(text: entry.text) == entry)
        #expect(LogEntry(text: entry.text.replacingOccurrences(of: "kind ", with: "kind  ")) == nil)
        #expect(LogEntry(text: entry.text + "x\n") == nil)
        // An entry read back gives exactly the bytes it was read from, whatever their Unicode normalisation.
        for reason in ["caf\u{E9}", "cafe\u{301}"] {
            let text = LogEntry(kind: .keyRevoked, time: "2026-12-07T00:00:00Z", token: "AbC", sha256: nil, serial: "0a",
                                fingerprint: "ee", status: "revoked", reason: reason).text
            #expect(LogEntry(text: text)?.data == Data(text.utf8))
        }
        // A reason of any length keeps the entry framable (a bundle frames at most 65,535 bytes).
        let long = LogEntry.shortened(reason: String(repeating: "\u{1}", count: 70_000))
        #expect(long.count == 500)
        #expect(LogEntry(kind: .documentInvalidated, time: "t", token: "x", sha256: "y", serial: "z", fingerprint: "f",
                         status: "invalidated", reason: long).data.count < 4_000)
    }
}
