/// The 4-byte shuffle filter: byte `k` of float `i` moves to position `k·n + i`, so the sign
/// and exponent bytes of all floats sit together and compress well. Shuffle applies to each
/// block on its own (a block's raw length is always a multiple of 4).
enum Shuffle4 {
    static func shuffle(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        let n = input.count / 4
        for i in 0..<n {
            let b = 4 * i
            output[i] = input[b]
            output[n + i] = input[b + 1]
            output[2 * n + i] = input[b + 2]
            output[3 * n + i] = input[b + 3]
        }
    }

    static func unshuffle(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        let n = input.count / 4
        for i in 0..<n {
            let b = 4 * i
            output[b] = input[i]
            output[b + 1] = input[n + i]
            output[b + 2] = input[2 * n + i]
            output[b + 3] = input[3 * n + i]
        }
    }
}
