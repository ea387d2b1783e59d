// How fast the Graph emulator serves sign-ins (pre-rendered pages, TLS on loopback, no gzip): it must never be what
// limits a benchmark of the agent. Prints records per second for one client reading every page in turn.
#include "emulator.hpp"
#include "graph/graph_client.hpp"
#include "support/emulator_source.hpp"
#include "support/test_support.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    using namespace std::chrono_literals;
    const int records = argc > 1 ? std::atoi(argv[1]) : 200'000;
    vigil::test::TempDir dir;
    vigil::emulator::Tenant tenant;
    tenant.id = "99999999-9999-9999-9999-999999999999";
    tenant.domain = "bench.example";
    tenant.signin_records = records;
    tenant.applications = {vigil::emulator::Application("00000000-0000-0000-0000-0000000000be", "s", false, "")};
    vigil::emulator::Scenario scenario;
    scenario.gzip = false;
    scenario.tenants = {tenant};
    const auto generation_start = std::chrono::steady_clock::now();
    vigil::emulator::GraphEmulator emulator({dir.file("emulator"), scenario, 0});
    const double generation_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - generation_start).count();

    const vigil::graph::GraphSource source =
        vigil::test::emulator_source(emulator, tenant.id, "00000000-0000-0000-0000-0000000000be");
    vigil::graph::TokenCache tokens;
    vigil::graph::RequestLimiter limiter(1'000'000, 1000ms);
    std::atomic<bool> cancelled{false};
    vigil::graph::GraphClient client(source, tokens, limiter, {}, cancelled);

    // Every kind of sign-in (beta), so that every generated record is served.
    const std::string path =
        "/beta/auditLogs/signIns?$top=1000&$filter=signInEventTypes/any(t: t eq "
        "'interactiveUser' or t eq 'nonInteractiveUser' or t eq 'servicePrincipal' or t eq "
        "'managedIdentity')";
    size_t bytes = 0;
    size_t pages = 0;
    const auto start = std::chrono::steady_clock::now();
    client.get_pages(path, [&](std::string_view page) {
        bytes += page.size();
        ++pages;
        return true;
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "emulator: %d sign-ins (%zu pages, %.0f MB, TLS, no gzip) served in %.2f s: %.0f records/s, %.0f MB/s "
        "(generated in %.2f s)\n",
        records, pages, static_cast<double>(bytes) / 1e6, seconds, records / seconds,
        static_cast<double>(bytes) / 1e6 / seconds, generation_s);
    return pages == static_cast<size_t>((records + 999) / 1000) ? 0 : 1;
}
