// Pipeline throughput: the counter connector emits N small events in pages of 1,000; they go through the hook
// chain, the spool (SQLite, WAL, synchronous=FULL) and the jsonl output. Prints events per second of wall time and
// the CPU seconds used. Run pinned to one core by scripts/bench.sh.
#include "app/agent.hpp"
#include "app/builtin_plugins.hpp"
#include "config/config_loader.hpp"
#include "logging/logging.hpp"
#include "plugins/plugin_registry.hpp"
#include "support/test_support.hpp"

#include <sys/resource.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    const long events = argc > 1 ? std::atol(argv[1]) : 1'000'000;
    const std::string fsync = argc > 2 ? argv[2] : "true";
    vigil::test::TempDir dir;
    const std::string config_file = dir.write(
        "vigil.yaml",
        "agent:\n  data_dir: ./var\n  plugin_dirs: [" + vigil::test::test_plugin_dir() +
            "]\n  log: {level: warn}\ncredentials:\n"
            "  - {name: app, client_id: 00000000-0000-0000-0000-000000000000, client_secret: \"${env:HOME}\"}\n"
            "organizations:\n  - name: Bench\n    sources:\n      - type: entra_id\n"
            "        tenant_id: 11111111-1111-1111-1111-111111111111\n        credentials: app\n"
            "        connectors:\n          counter: {total: " +
            std::to_string(events) + ", page_size: 1000, raw: false}\n" +
            "outputs:\n  - {type: jsonl, path: ./events.jsonl, fsync: " + fsync + "}\n");
    vigil::PluginRegistry registry;
    vigil::register_builtin_plugins(registry);
    const vigil::Config config = vigil::load_config(config_file, registry);
    vigil::configure_logging(config.agent.log);
    const double cpu_before = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    int code = 0;
    {
        vigil::Agent agent(config, registry);
        code = agent.run_once();
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu = cpu_seconds() - cpu_before;
    size_t lines = 0;
    {
        std::ifstream in(dir.file("events.jsonl"), std::ios::binary);
        std::vector<char> chunk(1 << 20);
        while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
            lines += static_cast<size_t>(std::count(chunk.data(), chunk.data() + in.gcount(), '\n'));
        }
    }
    std::printf(
        "pipeline: %ld events (fsync %s) in %.2f s wall, %.2f s CPU: %.0f events/s wall, %.0f events/CPU-s; "
        "%zu lines written\n",
        events, fsync.c_str(), wall, cpu, static_cast<double>(events) / wall, static_cast<double>(events) / cpu, lines);
    return code == 0 && lines == static_cast<size_t>(events) ? 0 : 1;
}
