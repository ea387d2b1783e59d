#include "support/test_support.hpp"

#include <fstream>
#include <random>
#include <sstream>

namespace vigil::test {

TempDir::TempDir() {
    std::random_device random;
    path_ =
        std::filesystem::temp_directory_path() / ("vigil-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
    // Like a real deployment: plugin folders must not be group-writable, whatever the umask.
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                            std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                            std::filesystem::perms::others_exec);
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
    const auto full = path_ / name;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << content;
    return full.string();
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::vector<std::string> read_lines(const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string counter_config(const std::string& dir, const std::string& counter_settings, const std::string& log_level) {
    return "agent:\n  data_dir: " + dir + "/var\n  plugin_dirs: [" + test_plugin_dir() +
           "]\n  log: {level: " + log_level + ", file: " + dir +
           "/vigil.log}\ncredentials:\n"
           "  - {name: app, client_id: 00000000-0000-0000-0000-000000000000, client_secret: \"${env:HOME}\"}\n"
           "organizations:\n  - name: Contoso\n    sources:\n"
           "      - type: entra_id\n        tenant_id: 11111111-1111-1111-1111-111111111111\n"
           "        credentials: app\n        connectors:\n          counter: {" +
           counter_settings +
           "}\n"
           "outputs:\n  - {type: jsonl, path: " +
           dir +
           "/events.jsonl}\n"
           // The counter's events are dated from 2026-01-01: a retention by the default would one day delete them
           // from the store as soon as they arrive.
           "  - {type: store, retention: 36500d}\n";
}

std::string vigil_binary() {
    return VIGIL_TEST_BINARY;
}
std::string plugin_dir() {
    return VIGIL_PLUGIN_DIR;
}

std::string test_plugin_dir() {
    return VIGIL_TEST_PLUGIN_DIR;
}
std::string broken_plugin_dir() {
    return VIGIL_BROKEN_PLUGIN_DIR;
}
std::string source_dir() {
    return VIGIL_SOURCE_DIR;
}

}  // namespace vigil::test

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <thread>

extern char** environ;

namespace vigil::test {

ChildProcess spawn(const std::vector<std::string>& args, const std::string& output_prefix) {
    ChildProcess child;
    child.stdout_file = output_prefix + ".out";
    child.stderr_file = output_prefix + ".err";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, child.stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, child.stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> argv;
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    if (posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) child.pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    return child;
}

int wait_for_exit(ChildProcess& child, int timeout_ms) {
    if (child.pid <= 0) return -3;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
        int status = 0;
        const pid_t done = waitpid(child.pid, &status, WNOHANG);
        if (done == child.pid) {
            child.pid = -1;
            if (WIFEXITED(status)) return WEXITSTATUS(status);
            if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
            return -2;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            kill(child.pid, SIGKILL);
            waitpid(child.pid, &status, 0);
            child.pid = -1;
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void kill_child(ChildProcess& child) {
    if (child.pid <= 0) return;
    kill(child.pid, SIGKILL);
    int status = 0;
    waitpid(child.pid, &status, 0);
    child.pid = -1;
}

int run_vigil(const std::vector<std::string>& args, const std::string& output_prefix, int timeout_ms) {
    std::vector<std::string> full{vigil_binary()};
    full.insert(full.end(), args.begin(), args.end());
    ChildProcess child = spawn(full, output_prefix);
    if (child.pid < 0) return -3;
    return wait_for_exit(child, timeout_ms);
}

std::string graph_fixtures_dir() {
    return source_dir() + "/../shared/fixtures/graph-docs";
}

std::string graph_fixture(const std::string& name) {
    return read_file(graph_fixtures_dir() + "/" + name);
}

}  // namespace vigil::test
