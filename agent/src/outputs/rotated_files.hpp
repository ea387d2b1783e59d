#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil {

// The files a rotating output leaves beside its live file: events.jsonl is renamed events.jsonl.20261205T101500Z
// (UTC, when it was rotated; -1, -2... when a second has several), then compressed to ...Z.gz. Names sort by age.
struct RotatedFile {
    std::string path;
    bool compressed = false;
    uint64_t inode = 0;
};

// A name no file has yet for rotating live_path at now_ms.
std::string free_rotated_name(const std::string& live_path, int64_t now_ms);

// The rotated files of live_path, oldest first. Other files in the folder, even with similar names, are ignored.
std::vector<RotatedFile> list_rotated(const std::string& live_path);

// Removes what an interrupted compression left (name.gz.tmp); the uncompressed original is still there.
void remove_partial_compressions(const std::string& live_path);

}  // namespace vigil
