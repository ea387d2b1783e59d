#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace vigil::test {

// A fresh folder under the system's temp folder, removed when the object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    // Writes content to name (creating folders) and returns the full path.
    std::string write(const std::string& name, const std::string& content) const;

private:
    std::filesystem::path path_;
};

std::string read_file(const std::string& path);
std::vector<std::string> read_lines(const std::string& path);

// A configuration with one organization, one tenant running the counter test connector with counter_settings
// (a YAML flow mapping's inside), and one jsonl output: everything under dir (var/, vigil.log, events.jsonl).
std::string counter_config(const std::string& dir, const std::string& counter_settings,
                           const std::string& log_level = "warn");

// Paths baked in by CMake.
std::string vigil_binary();
std::string test_plugin_dir();
std::string plugin_dir();  // build/plugins: the Entra connectors
std::string broken_plugin_dir();
std::string source_dir();
// Microsoft's published response bodies: ../shared/fixtures/graph-docs beside the checkout.
std::string graph_fixtures_dir();
std::string graph_fixture(const std::string& name);

}  // namespace vigil::test

#include <sys/types.h>

namespace vigil::test {

// A child process running the real binary, with its output captured to files.
struct ChildProcess {
    pid_t pid = -1;
    std::string stdout_file;
    std::string stderr_file;
};

ChildProcess spawn(const std::vector<std::string>& args, const std::string& output_prefix);
// Waits for the child; returns its exit code, 128+signal when killed, or -1 on timeout (the child is then killed).
// A child that never started (pid <= 0) returns -3 at once: kill(-1, ...) would signal every process we own.
int wait_for_exit(ChildProcess& child, int timeout_ms);
// SIGKILL to the child (a crash), then reaps it; nothing when it never started.
void kill_child(ChildProcess& child);

// Runs to completion and returns the exit code; output in the files named by the prefix.
int run_vigil(const std::vector<std::string>& args, const std::string& output_prefix, int timeout_ms = 120'000);

}  // namespace vigil::test
