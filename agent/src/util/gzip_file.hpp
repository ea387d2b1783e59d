#pragma once

#include <string>

namespace vigil {

// Compresses the file at path into path + ".gz" (gzip, zlib level 6) and removes path, so that a crash at any
// instant leaves either the original or the whole compressed file, never a truncated one: the data goes to
// path + ".gz.tmp" first, is flushed to disk, and only then is renamed and the original unlinked. The .gz keeps the
// original's permission bits. Throws std::runtime_error naming the file and the failing step.
void gzip_file(const std::string& path);

// The whole content of a gzip file, decompressed; for tests and for tools that check rotated files. Throws
// std::runtime_error naming the file when it cannot be read or is not valid gzip.
std::string gunzip_file(const std::string& path);

}  // namespace vigil
