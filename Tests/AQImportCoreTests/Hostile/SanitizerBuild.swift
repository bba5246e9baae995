#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether this test process runs under AddressSanitizer or ThreadSanitizer.
enum SanitizerBuild {
    static let active = ["__asan_init", "__tsan_init"].contains { (symbol: String) -> Bool in
        #if canImport(Darwin)
            dlsym(UnsafeMutableRawPointer(bitPattern: -2), symbol) != nil  // RTLD_DEFAULT
        #else
            dlsym(nil, symbol) != nil  // RTLD_DEFAULT
        #endif
    }

    /// The size of the corpus's "50 MB" CSV cells. libcsv grows a field's buffer 128 bytes at a time
    /// and a sanitizer's realloc always copies, so a 50 MB field costs terabytes of copying there;
    /// 1 MB keeps those runs to seconds. The normal suite reads the full 50 MB.
    static var bigCell: Int { active ? 1 << 20 : 50 << 20 }
}
