import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` for `0..<count`, on several threads when there is more than one job, and
/// returns the results in index order — so the output never depends on scheduling.
func parallelMap<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
    if count <= 1 || onlineProcessorCount() <= 1 {
        return try (0..<count).map(body)
    }
    var slots = [Result<T, Error>?](repeating: nil, count: count)
    withoutActuallyEscaping(body) { escapable in
        slots.withUnsafeMutableBufferPointer { buffer in
            // Each job writes only its own slot and `body` is called concurrently by design:
            // the box tells the compiler what the index discipline guarantees.
            let box = UncheckedSendable(value: (buffer, escapable))
            DispatchQueue.concurrentPerform(iterations: count) { index in
                let (slotsBuffer, job) = box.value
                slotsBuffer[index] = Result { try job(index) }
            }
        }
    }
    return try slots.map { slot in
        guard let slot else { throw NNMFormatError.library(name: "dispatch", detail: "a parallel job did not run") }
        return try slot.get()
    }
}

private struct UncheckedSendable<Value>: @unchecked Sendable { let value: Value }

func onlineProcessorCount() -> Int {
    let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
    return n > 0 ? Int(n) : 1
}
