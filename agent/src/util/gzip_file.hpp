#pragma once

#include <string>
#include <string_view>

namespace vigil {

// Compresses the file at path into path + ".gz" (gzip, zlib level 6) and removes path, so that a crash at any
// instant leaves either the original or the whole compressed file, never a truncated one: the data goes to
// path + ".gz.tmp" first, is flushed to disk, and only then is renamed and the original unlinked. The .gz keeps the
// original's permission bits. Throws std::runtime_error naming the file and the failing step.
void gzip_file(const std::string& path);

// Replaces out with data compressed as one gzip member (level 1: a network body is compressed once and sent once,
// where speed matters more than the last few percent). out's capacity is reused between calls.
void gzip_buffer(std::string_view data, std::string& out);

// The whole content of a gzip file, decompressed; for tests and for tools that check rotated files. Throws
// std::runtime_error naming the file when it cannot be read or is not valid gzip.
std::string gunzip_file(const std::string& path);

}  // namespace vigil
