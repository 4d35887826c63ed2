import CRIHPACK
import Testing

/// One header block of an RFC 7541 Appendix C example and the state it leaves behind.
struct AppendixCBlock: Sendable {
    /// The RFC's hex dump of the block.
    var hex: String
    /// The decoded header list.
    var headers: [HPACKHeader]
    /// The dynamic table afterwards, newest first.
    var table: [HPACKHeader]
    /// The dynamic table size afterwards.
    var tableSize: Int
}

/// An RFC 7541 Appendix C example: blocks decoded (and encoded) in order on one connection.
struct AppendixCStory: Sendable, CustomTestStringConvertible {
    var section: String
    var maxTableSize: Int
    var huffman: Bool
    var blocks: [AppendixCBlock]
    var testDescription: String { "RFC 7541 § \(section)" }
}

enum RFC7541 {
    static let request1 = headers([
        ":method": "GET", ":scheme": "http", ":path": "/", ":authority": "www.example.com",
    ])
    static let request2 = headers([
        ":method": "GET", ":scheme": "http", ":path": "/", ":authority": "www.example.com",
        "cache-control": "no-cache",
    ])
    static let request3 = headers([
        ":method": "GET", ":scheme": "https", ":path": "/index.html", ":authority": "www.example.com",
        "custom-key": "custom-value",
    ])
    static let requestTable1 = headers([":authority": "www.example.com"])
    static let requestTable2 = headers(["cache-control": "no-cache", ":authority": "www.example.com"])
    static let requestTable3 = headers([
        "custom-key": "custom-value", "cache-control": "no-cache", ":authority": "www.example.com",
    ])

    static let date1 = "Mon, 21 Oct 2013 20:13:21 GMT"
    static let date2 = "Mon, 21 Oct 2013 20:13:22 GMT"
    static let cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"
    static let location = "https://www.example.com"
    static let response1 = headers([
        ":status": "302", "cache-control": "private", "date": date1, "location": location,
    ])
    static let response2 = headers([
        ":status": "307", "cache-control": "private", "date": date1, "location": location,
    ])
    static let response3 = headers([
        ":status": "200", "cache-control": "private", "date": date2, "location": location,
        "content-encoding": "gzip", "set-cookie": cookie,
    ])
    static let responseTable1 = headers([
        "location": location, "date": date1, "cache-control": "private", ":status": "302",
    ])
    static let responseTable2 = headers([
        ":status": "307", "location": location, "date": date1, "cache-control": "private",
    ])
    static let responseTable3 = headers([
        "set-cookie": cookie, "content-encoding": "gzip", "date": date2,
    ])

    /// RFC 7541 § C.3, § C.4, § C.5 and § C.6.
    static let appendixC: [AppendixCStory] = [
        AppendixCStory(
            section: "C.3", maxTableSize: 4096, huffman: false,
            blocks: [
                // RFC 7541 § C.3.1
                AppendixCBlock(
                    hex: "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                    headers: request1, table: requestTable1, tableSize: 57),
                // RFC 7541 § C.3.2
                AppendixCBlock(
                    hex: "8286 84be 5808 6e6f 2d63 6163 6865",
                    headers: request2, table: requestTable2, tableSize: 110),
                // RFC 7541 § C.3.3
                AppendixCBlock(
                    hex: "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
                    headers: request3, table: requestTable3, tableSize: 164),
            ]),
        AppendixCStory(
            section: "C.4", maxTableSize: 4096, huffman: true,
            blocks: [
                // RFC 7541 § C.4.1
                AppendixCBlock(
                    hex: "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
                    headers: request1, table: requestTable1, tableSize: 57),
                // RFC 7541 § C.4.2
                AppendixCBlock(
                    hex: "8286 84be 5886 a8eb 1064 9cbf",
                    headers: request2, table: requestTable2, tableSize: 110),
                // RFC 7541 § C.4.3
                AppendixCBlock(
                    hex: "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
                    headers: request3, table: requestTable3, tableSize: 164),
            ]),
        AppendixCStory(
            section: "C.5", maxTableSize: 256, huffman: false,
            blocks: [
                // RFC 7541 § C.5.1
                AppendixCBlock(
                    hex: """
                        4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a
                        3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d
                        """,
                    headers: response1, table: responseTable1, tableSize: 222),
                // RFC 7541 § C.5.2: ":status: 302" is evicted to make room for ":status: 307".
                AppendixCBlock(
                    hex: "4803 3330 37c1 c0bf",
                    headers: response2, table: responseTable2, tableSize: 222),
                // RFC 7541 § C.5.3: three more entries evicted.
                AppendixCBlock(
                    hex: """
                        88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04
                        677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49
                        553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31
                        """,
                    headers: response3, table: responseTable3, tableSize: 215),
            ]),
        AppendixCStory(
            section: "C.6", maxTableSize: 256, huffman: true,
            blocks: [
                // RFC 7541 § C.6.1
                AppendixCBlock(
                    hex: """
                        4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e
                        919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3
                        """,
                    headers: response1, table: responseTable1, tableSize: 222),
                // RFC 7541 § C.6.2
                AppendixCBlock(
                    hex: "4883 640e ffc1 c0bf",
                    headers: response2, table: responseTable2, tableSize: 222),
                // RFC 7541 § C.6.3
                AppendixCBlock(
                    hex: """
                        88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7
                        821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed
                        4ee5 b106 3d50 07
                        """,
                    headers: response3, table: responseTable3, tableSize: 215),
            ]),
    ]
}
