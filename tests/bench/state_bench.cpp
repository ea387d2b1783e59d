// The Entra State benchmark (issue #5): an emulated tenant of USERS users, GROUPS groups and about 5 memberships per
// user; `vigil run --once` takes the full first snapshot, then 1,000 changes are made to the directory and a second
// run takes them in by delta rounds. Prints wall time, CPU seconds and peak RSS of each run (the agent is a child
// process; the emulator runs in this one, so its work is not counted).
//
//   state_bench BUILD_DIR [USERS] [GROUPS]      (scripts/bench.sh runs it)
#include "emulator.hpp"
#include "support/test_support.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

struct Measured {
    double seconds = 0;
    double cpu_seconds = 0;
    double sys_seconds = 0;
    double peak_rss_mb = 0;
    int exit_code = -1;
};

// Runs vigil and measures it. A fork of this process would start with the emulator's hundreds of MB resident, and
// Linux counts that into the child's peak RSS even after exec; so the runs are forked by a small spawner process
// made before the emulator exists, which reports each run's figures back through a pipe.
class Spawner {
public:
    Spawner() {
        int requests[2], replies[2];
        if (pipe(requests) != 0 || pipe(replies) != 0) std::exit(1);
        pid_ = fork();
        if (pid_ == 0) {
            close(requests[1]);
            close(replies[0]);
            serve(requests[0], replies[1]);
            _exit(0);
        }
        close(requests[0]);
        close(replies[1]);
        to_spawner_ = requests[1];
        from_spawner_ = replies[0];
    }
    ~Spawner() {
        close(to_spawner_);
        close(from_spawner_);
        waitpid(pid_, nullptr, 0);
    }
    Measured run(const std::string& vigil, const std::string& config, const std::string& log) {
        const std::string request = vigil + "\n" + config + "\n" + log + "\n";
        if (write(to_spawner_, request.data(), request.size()) != static_cast<ssize_t>(request.size())) return {};
        Measured measured;
        if (read(from_spawner_, &measured, sizeof(measured)) != static_cast<ssize_t>(sizeof(measured))) return {};
        return measured;
    }

private:
    static void serve(int requests, int replies) {
        FILE* in = fdopen(requests, "r");
        char vigil[4096], config[4096], log[4096];
        while (std::fgets(vigil, sizeof(vigil), in) && std::fgets(config, sizeof(config), in) &&
               std::fgets(log, sizeof(log), in)) {
            for (char* line : {vigil, config, log}) line[std::strcspn(line, "\n")] = '\0';
            const auto start = std::chrono::steady_clock::now();
            const pid_t pid = fork();
            if (pid == 0) {
                if (!std::freopen(log, "w", stderr) || !std::freopen("/dev/null", "w", stdout)) _exit(126);
                execl(vigil, vigil, "run", "--config", config, "--once", nullptr);
                _exit(127);
            }
            Measured measured;
            int status = 0;
            rusage usage{};
            if (pid > 0 && wait4(pid, &status, 0, &usage) == pid) {
                measured.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                measured.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
                measured.sys_seconds =
                    static_cast<double>(usage.ru_stime.tv_sec) + static_cast<double>(usage.ru_stime.tv_usec) / 1e6;
                measured.peak_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
                measured.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            if (write(replies, &measured, sizeof(measured)) != static_cast<ssize_t>(sizeof(measured))) return;
        }
    }

    pid_t pid_ = -1;
    int to_spawner_ = -1;
    int from_spawner_ = -1;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: state_bench BUILD_DIR [USERS] [GROUPS]\n");
        return 2;
    }
    char resolved[PATH_MAX];
    if (realpath(argv[1], resolved) == nullptr) {
        std::fprintf(stderr, "state_bench: no build folder %s\n", argv[1]);
        return 2;
    }
    const std::string build = resolved;
    Spawner spawner;  // before the emulator fills this process
    const int users = argc > 2 ? std::atoi(argv[2]) : 100'000;
    const int groups = argc > 3 ? std::atoi(argv[3]) : 20'000;
    vigil::test::TempDir dir;
    vigil::emulator::Tenant tenant;
    tenant.id = "5a5a5a5a-0000-4000-8000-000000000001";
    tenant.domain = "bench.example";
    tenant.applications = {vigil::emulator::Application("00000000-0000-0000-0000-0000000000b5", "s", false, "")};
    tenant.directory.users = users;
    tenant.directory.groups = groups;
    tenant.directory.applications = 200;
    tenant.directory.groups_per_user = 5;
    vigil::emulator::Scenario scenario;
    scenario.gzip = false;
    scenario.tenants = {tenant};
    vigil::emulator::GraphEmulator emulator({dir.file("emulator"), scenario, 0});
    size_t memberships = 0;
    emulator.directory(tenant.id).read([&](const vigil::emulator::Directory& d) {
        for (const auto& group : d.groups()) memberships += group.member_ids.size();
    });

    const std::string config =
        dir.write("vigil.yaml",
                  "agent:\n  data_dir: " + dir.file("var") + "\n  plugin_dirs: [" + build +
                      "/plugins]\n  log: {level: info}\n  graph: {requests: 1000000, window: 1s, resource_units: "
                      "100000000, sign_in_activity: 1000000}\ncredentials:\n  - {name: bench, client_id: "
                      "00000000-0000-0000-0000-0000000000b5, client_secret: s}\norganizations:\n  - name: Bench\n"
                      "    sources:\n      - type: entra_id\n        tenant_id: " +
                      tenant.id + "\n        credentials: bench\n        endpoints: {login: " + emulator.base_url() +
                      ", graph: " + emulator.base_url() + "}\n        tls: {ca_file: " + emulator.ca_file() +
                      "}\n        connectors:\n          entra_state: {}\noutputs:\n  - {type: jsonl, path: " +
                      dir.file("events.jsonl") + "}\n");
    // It holds the emulated application's secret: only its owner may read it, or the agent refuses it.
    std::filesystem::permissions(config, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

    const Measured full = spawner.run(build + "/vigil", config, dir.file("full.log"));
    if (full.exit_code != 0) {
        std::fprintf(stderr, "the full snapshot failed; its log:\n%s\n",
                     vigil::test::read_file(dir.file("full.log")).c_str());
        return 1;
    }

    // 1,000 changes: 400 users disabled, 100 deleted, 100 new, 200 memberships added, 200 removed.
    vigil::emulator::Directory& directory = emulator.directory(tenant.id);
    std::vector<std::string> ids;
    std::vector<std::pair<std::string, std::string>> members;
    directory.read([&](const vigil::emulator::Directory& d) {
        for (int i = 0; i < 500; ++i) ids.push_back(d.users()[static_cast<size_t>(1000 + i * 7)].id);
        for (int g = 10; g < 210; ++g) {
            const auto& group = d.groups()[static_cast<size_t>(g)];
            if (!group.member_ids.empty()) members.emplace_back(group.id, group.member_ids.front());
        }
    });
    for (int i = 0; i < 400; ++i) {
        directory.update_user(ids[static_cast<size_t>(i)],
                              [](vigil::emulator::DirectoryUser& u) { u.account_enabled = false; });
    }
    for (int i = 400; i < 500; ++i) directory.delete_user(ids[static_cast<size_t>(i)]);
    for (int i = 0; i < 100; ++i) {
        vigil::emulator::DirectoryUser user;
        user.id = "5a5a5a5a-9999-4000-8000-" + std::to_string(100000000000 + i);
        user.display_name = "New " + std::to_string(i);
        user.user_principal_name = "new" + std::to_string(i) + "@bench.example";
        directory.upsert_user(user);
    }
    for (const auto& [group, member] : members) directory.remove_member(group, member);
    for (size_t i = 0; i < members.size(); ++i) {
        directory.add_member(members[i].first, members[(i + 1) % members.size()].second);
    }

    const Measured delta = spawner.run(build + "/vigil", config, dir.file("delta.log"));
    if (delta.exit_code != 0) {
        std::fprintf(stderr, "the delta snapshot failed; its log:\n%s\n",
                     vigil::test::read_file(dir.file("delta.log")).c_str());
        return 1;
    }
    const size_t events = vigil::test::read_lines(dir.file("events.jsonl")).size();
    std::printf(
        "state benchmark: %d users, %d groups, %zu memberships, 200 applications (TLS, no gzip, no throttling)\n",
        users, groups, memberships);
    std::printf("%-34s %8s %8s %8s %12s\n", "", "seconds", "CPU s", "of sys", "peak RSS MB");
    std::printf("%-34s %8.2f %8.2f %8.2f %12.1f\n", "full snapshot (first run)", full.seconds, full.cpu_seconds,
                full.sys_seconds, full.peak_rss_mb);
    std::printf("%-34s %8.2f %8.2f %8.2f %12.1f\n", "delta run after 1,000 changes", delta.seconds, delta.cpu_seconds,
                delta.sys_seconds, delta.peak_rss_mb);
    std::printf("state change events written by the delta run: %zu\n", events);
    return 0;
}
