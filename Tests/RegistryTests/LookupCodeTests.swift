import Record
import Testing

/// Issue 16: the code on the stamp reads back however a person types it
/// (the same vectors as site.test.mjs's extractCode test).
@Suite("Lookup codes")
struct LookupCodeTests {
    @Test("typed forms read back as the code", arguments: [
        ("ZKHY-D0NA-GGF6-KBQA", "ZKHYD0NAGGF6KBQA"),
        ("zkhy d0na ggf6 kbqa", "ZKHYD0NAGGF6KBQA"),
        ("ZKHY-DONA-GGF6-KBQA", "ZKHYD0NAGGF6KBQA"),
        ("SIG-ZKHYD0NAGGF6KBQA", "ZKHYD0NAGGF6KBQA"),
        ("7F3A-9CIL-E0AB-CDEF", "7F3A9C11E0ABCDEF"),
    ])
    func reads(_ typed: String, _ expected: String) {
        #expect(LookupCode(typed)?.normalized == expected)
    }

    @Test("what is not a code is refused", arguments: ["ZKHY-D0NA-GGF6-KBQ", "ZKHY-D0NA-GGF6-KBQU", "MfWjnvsS3-8guQIwYZxuBVc", ""])
    func refuses(_ typed: String) {
        #expect(LookupCode(typed) == nil)
    }

    @Test("a signature id gives its code in groups of four")
    func grouping() {
        #expect(LookupCode(signatureID: "SIG-ZKHYD0NAGGF6KBQA")?.grouped == "ZKHY-D0NA-GGF6-KBQA")
        #expect(LookupCode(signatureID: "ZKHYD0NAGGF6KBQA") == nil)
    }
}

/// Issue 16: certificate names on the pages read as fields, not escaped RFC 4514.
@Suite("Readable names")
struct ReadableNameTests {
    @Test func escapesAndOrder() {
        #expect(ReadableName.of(#"emailAddress=rina@example.ac.id,CN=Dr. Rina Kusumawardani\, S.T.\, M.Kom.,title=Ketua Program Studi,O=Universitas Nusantara"#)
                == "Dr. Rina Kusumawardani, S.T., M.Kom. · Ketua Program Studi · Universitas Nusantara · rina@example.ac.id")
        #expect(ReadableName.of(#"CN=Jos\C3\A9 M\C3\BCller,O=Universitas Contoh"#) == "José Müller · Universitas Contoh")
        #expect(ReadableName.of("CN=Universitas Contoh Document Signing CA,O=Universitas Contoh")
                == "Universitas Contoh Document Signing CA · Universitas Contoh")
    }

    /// Read byte by byte: letters beyond ASCII as they are, escaped signs, a
    /// multi-valued name, spaces around a type, a lone trailing backslash.
    @Test func bytesBeyondASCIIAndOddEscapes() {
        #expect(ReadableName.of("O=Universitas Gadjah Mada,CN=Dr. Ñoño Ökrü 李明") == "Dr. Ñoño Ökrü 李明 · Universitas Gadjah Mada")
        #expect(ReadableName.of(##"CN=A\+B\=C\\D\"E+ title =Dosen\#,O=X\"##) == #"A+B=C\D"E · Dosen# · X"#)
        #expect(ReadableName.of(#"CN=\E6\9D\8E\zh"#) == "李zh")
        #expect(ReadableName.of("no fields here") == "no fields here")
    }
}
