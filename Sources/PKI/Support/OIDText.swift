import COpenSSL

/// Object identifier text helpers.
enum OIDText {
    static func dotted(_ object: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        guard length > 0 else { return "" }
        return String(decoding: buffer.prefix(min(Int(length), buffer.count - 1)).map { UInt8(bitPattern: $0) },
                      as: UTF8.self)
    }

    static func dotted(nid: Int32) -> String {
        guard let object = OBJ_nid2obj(nid) else { return "" }
        return dotted(object)
    }

    static func shortName(_ object: OpaquePointer) -> String? {
        let nid = OBJ_obj2nid(object)
        guard nid != NID_undef, let name = OBJ_nid2sn(nid) else { return nil }
        return String(cString: name)
    }

    static func longName(_ object: OpaquePointer) -> String? {
        let nid = OBJ_obj2nid(object)
        guard nid != NID_undef, let name = OBJ_nid2ln(nid) else { return nil }
        return String(cString: name)
    }
}
