//! The page's unpacker: a second, tiny WebAssembly module (about 30 KB) whose only job is
//! to inflate the core.
//!
//! dist/jixiao.html must stay within 1 MB with the whole core inside it. LZMA packs the
//! core about a quarter smaller than gzip, but browsers can only gunzip
//! (`DecompressionStream`), so the page carries this module (gzipped) and the core
//! (LZMA, the `.lzma` "alone" format that `xz --format=lzma` writes). At start-up the page
//! gunzips and instantiates this module, copies the packed core into its memory, calls
//! [`unpack`] and compiles the result. The decoding is the maintained `lzma-rust2` crate;
//! nothing here parses the format.
//!
//! It is an example target of the one `jixiao` crate (built with
//! `cargo build --profile wasm --target wasm32-unknown-unknown --example unpack`) so that
//! the product stays one crate; there is no wasm-bindgen here, only two plain exports,
//! and nothing of it exists in a native build.
#[cfg(target_arch = "wasm32")]
mod exports {
    use lzma_rust2::{LzmaReader, Read};

    /// The packer (www/bundle.js) uses a 4 MiB dictionary; a stream asking for more
    /// than 16 MiB is not ours.
    const MEMORY_LIMIT_KIB: u32 = 16 * 1024;

    /// A zeroed buffer of `len` bytes in this module's memory, for the page to copy the
    /// packed core into. It is never freed: the instance is dropped after one use.
    #[no_mangle]
    pub extern "C" fn buffer(len: usize) -> *mut u8 {
        Vec::leak(vec![0u8; len]).as_mut_ptr()
    }

    /// Inflates the `packed_len` bytes at `packed` (a buffer from [`buffer`]) into a new
    /// buffer of exactly `len` bytes and returns where it starts, or 0 when the data is
    /// not a whole LZMA stream of that length (a damaged file): the page then says so.
    ///
    /// # Safety
    /// `packed` must be a buffer returned by [`buffer`] of at least `packed_len` bytes.
    #[no_mangle]
    pub unsafe extern "C" fn unpack(packed: *const u8, packed_len: usize, len: usize) -> usize {
        // SAFETY: the page passes back a buffer this module allocated (see above).
        let input = unsafe { std::slice::from_raw_parts(packed, packed_len) };
        let Ok(mut reader) = LzmaReader::new_mem_limit(input, MEMORY_LIMIT_KIB, None) else {
            return 0;
        };
        let out = Vec::leak(vec![0u8; len]);
        match reader.read_exact(out) {
            Ok(()) => out.as_ptr() as usize,
            Err(_) => 0,
        }
    }
}
