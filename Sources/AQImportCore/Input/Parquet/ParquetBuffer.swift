/// A growable block of raw memory, reused page after page. Its size is always checked by the caller
/// against what the file can hold before it grows.
final class ParquetBuffer {
    private(set) var pointer: UnsafeMutableRawPointer
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 16)
        pointer = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { pointer.deallocate() }

    /// Makes room for `size` bytes (keeping none of the old contents) and sets `count` to it.
    func reset(size: Int) {
        if size > capacity {
            pointer.deallocate()
            capacity = max(size, capacity * 2)
            pointer = .allocate(byteCount: capacity, alignment: 16)
        }
        count = size
    }

    /// Makes room for `extra` more bytes after `count`, keeping the contents.
    func reserve(extra: Int) {
        let needed = count + extra
        guard needed > capacity else { return }
        let grown = max(needed, capacity * 2)
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
        fresh.copyMemory(from: pointer, byteCount: count)
        pointer.deallocate()
        pointer = fresh
        capacity = grown
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(extra: bytes.count)
        (pointer + count).copyMemory(from: base, byteCount: bytes.count)
        count += bytes.count
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: count) }
    var mutableBytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: pointer, count: count) }
}
