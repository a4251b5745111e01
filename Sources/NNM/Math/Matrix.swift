/// A dense float32 matrix, row-major: `rows` samples × `columns` features.
///
/// Storage is one contiguous `[Float]`, so kernels can walk it with unsafe buffer pointers.
/// Element `(r, c)` lives at `r * columns + c`. A vector is a matrix with one row.
public struct Matrix: Sendable, Equatable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    /// Row-major elements; `storage.count == rows * columns` always. Read-only outside the
    /// package: the kernels trust that count, so only code that keeps it may replace the array
    /// (change elements through the subscript, or build a new matrix).
    public package(set) var storage: [Float]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Float](repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major values. `values.count` must be `rows * columns`.
    public init(rows: Int, columns: Int, storage values: [Float]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns,
                      "matrix storage does not match its shape")
        self.rows = rows
        self.columns = columns
        self.storage = values
    }

    /// A matrix from nested rows (handy in tests and examples).
    /// - Throws: ``MatrixError/raggedRows(row:count:expected:)`` when a row's length differs
    ///   from the first row's.
    public init(_ nested: [[Float]]) throws(MatrixError) {
        let columns = nested.first?.count ?? 0
        if let row = nested.firstIndex(where: { $0.count != columns }) {
            throw .raggedRows(row: row, count: nested[row].count, expected: columns)
        }
        self.init(rows: nested.count, columns: columns, storage: nested.flatMap { $0 })
    }

    public subscript(row: Int, column: Int) -> Float {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// Changes the shape, keeping capacity, so a buffer can be reused across batches of
    /// different sizes without reallocating. Contents are unspecified afterwards.
    public mutating func reshape(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0)
        let count = rows * columns
        if storage.count != count {
            if storage.count > count {
                storage.removeLast(storage.count - count)
            } else {
                storage.append(contentsOf: repeatElement(0, count: count - storage.count))
            }
        }
        self.rows = rows
        self.columns = columns
    }

    /// One row as an array (copies).
    public func row(_ index: Int) -> [Float] {
        Array(storage[index * columns ..< (index + 1) * columns])
    }
}

/// Why a matrix could not be built from the values given.
public enum MatrixError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Row `row` has `count` values where the first row has `expected`.
    case raggedRows(row: Int, count: Int, expected: Int)

    public var description: String {
        switch self {
        case let .raggedRows(row, count, expected):
            return "row \(row) has \(count) values, but the first row has \(expected): every row needs the same length"
        }
    }
}
