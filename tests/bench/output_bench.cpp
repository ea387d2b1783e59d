// Events per second through each network output (and jsonl) on loopback, driven the way the agent drives them:
// batches of 8,192 records through the plugin's C descriptor. The receivers run in this process and only read and
// count, so the CPU figure covers sender and receiver together.
//
//     output_bench [EVENTS]      (scripts/bench.sh runs it; default 1,000,000)
#include "config/plugin_settings.hpp"
#include "outputs/http_output.hpp"
#include "outputs/jsonl_output.hpp"
#include "outputs/kafka_output.hpp"
#include "outputs/syslog_output.hpp"
#include "plugins/host_context.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/ThreadPool.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kBatch = 8192;

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

class BenchHost final : public vigil_host_ctx {
public:
    void log(vigil_log_level level, const char* message) override {
        if (level >= VIGIL_LOG_WARN) std::fprintf(stderr, "  output: %s\n", message);
    }
    int64_t now_ms() override { return 1'796'464'800'000; }
    bool cancelled() override { return false; }
    vigil_status set_resume_token(vigil_str) override { return VIGIL_OK; }
};

// A sign-in record of about 900 bytes, as the Entra Logons connector writes it (raw left out).
std::string record_of(size_t n, std::string& id) {
    char text[2048];
    std::snprintf(text, sizeof(text), "%08zx-0000-4000-8000-%012zx", n, n * 7919);
    id = text;
    std::snprintf(
        text, sizeof(text),
        R"({"id":"%s","connector":"entra_logons","organization":"Contoso","source_group":"Cloud",)"
        R"("tenant_id":"11111111-1111-4000-8000-000000000000","time":"2026-12-05T10:00:00.000Z",)"
        R"("action":"%s","object_type":"User","what":"user%zu@contoso.example","who":"user%zu@contoso.example",)"
        R"("where":"contoso.example","workstation":"203.0.113.%zu","status":"%s","details":{"application":)"
        R"("Office 365 Exchange Online","resource":"Office 365 Exchange Online","client_app":"Browser",)"
        R"("device":{"operating_system":"Windows10","browser":"Edge 120.0.0"},"location":{"city":"Lyon",)"
        R"("state":"Auvergne-Rhone-Alpes","country":"FR"},"conditional_access":"success",)"
        R"("authentication_requirement":"multiFactorAuthentication","error_code":%d,"failure_reason":"%s",)"
        R"("risk":{"level_aggregated":"none","level_during_sign_in":"none","state":"none"}}})",
        id.c_str(), n % 7 == 0 ? "Failed Logon" : "Successful Logon", n % 5000, n % 5000, n % 250,
        n % 7 == 0 ? "failure" : "success", n % 7 == 0 ? 50126 : 0,
        n % 7 == 0 ? "Error validating credentials due to invalid username or password." : "");
    return text;
}

// Reads and discards whatever arrives on one connection at a time; counts bytes.
class TcpSink {
public:
    TcpSink() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        thread_ = std::thread([this] {
            while (!stop_) {
                if (!socket_.poll(Poco::Timespan(0, 100'000), Poco::Net::Socket::SELECT_READ)) continue;
                Poco::Net::StreamSocket connection = socket_.acceptConnection();
                std::vector<char> buffer(1 << 20);
                for (;;) {
                    const int n = connection.receiveBytes(buffer.data(), static_cast<int>(buffer.size()));
                    if (n <= 0) break;
                    bytes_ += static_cast<uint64_t>(n);
                }
            }
        });
    }
    ~TcpSink() {
        stop_ = true;
        thread_.join();
    }
    uint16_t port() const { return socket_.address().port(); }

private:
    Poco::Net::ServerSocket socket_;
    std::atomic<bool> stop_{false};
    std::atomic<uint64_t> bytes_{0};
    std::thread thread_;
};

// Answers every POST 200; for _bulk, with one created item per document, as Elasticsearch does.
class HttpSink {
public:
    HttpSink() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)), threads_(1, 2) {
        server_ =
            std::make_unique<Poco::Net::HTTPServer>(new Factory, threads_, socket_, new Poco::Net::HTTPServerParams);
        server_->start();
    }
    ~HttpSink() {
        server_->stopAll(true);
        threads_.joinAll();
    }
    uint16_t port() const { return socket_.address().port(); }

private:
    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
            std::string body(static_cast<size_t>(in.getContentLength()), '\0');
            in.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
            std::string answer = R"({"text":"Success","code":0})";
            if (in.getURI() == "/_bulk") {
                answer = R"({"took":1,"errors":false,"items":[)";
                const size_t documents = static_cast<size_t>(std::count(body.begin(), body.end(), '\n')) / 2;
                for (size_t i = 0; i < documents; ++i)
                    answer.append(i ? "," : "").append(R"({"create":{"status":201}})");
                answer += "]}";
            }
            out.setContentType("application/json");
            out.sendBuffer(answer.data(), answer.size());
        }
    };
    class Factory : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Handler;
        }
    };
    Poco::Net::ServerSocket socket_;
    Poco::ThreadPool threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

struct Case {
    std::string label;
    const vigil_plugin_descriptor* descriptor;
    std::map<std::string, vigil::PluginSettings::Value> settings;
};

void run(const Case& bench, const std::vector<std::string>& records, const std::vector<std::string>& ids) {
    BenchHost host;
    vigil_config config;
    for (const auto& [key, value] : bench.settings) config.settings.set(key, value);
    void* instance = nullptr;
    char error[512] = {};
    if (bench.descriptor->create(vigil::host_table(), &host, &config, &instance, error, sizeof(error)) != VIGIL_OK ||
        bench.descriptor->open(instance, vigil_str{nullptr, 0}, error, sizeof(error)) != VIGIL_OK) {
        std::fprintf(stderr, "%s: %s\n", bench.label.c_str(), error);
        return;
    }
    static const std::string connector = "entra_logons";
    std::vector<vigil_record> batch(kBatch);
    std::vector<const vigil_record*> pointers(kBatch);
    const double cpu_before = cpu_seconds();
    const auto start = Clock::now();
    for (size_t first = 0; first < records.size(); first += kBatch) {
        const size_t count = std::min(kBatch, records.size() - first);
        for (size_t i = 0; i < count; ++i) {
            const std::string& json = records[first + i];
            const std::string& id = ids[first + i];
            batch[i] = vigil_record{sizeof(vigil_record),   first + i + 1,
                                    {id.data(), id.size()}, {connector.data(), connector.size()},
                                    1'796'464'800'000,      {json.data(), json.size()}};
            pointers[i] = &batch[i];
        }
        if (bench.descriptor->write(instance, pointers.data(), count, error, sizeof(error)) != VIGIL_OK) {
            std::fprintf(stderr, "%s: %s\n", bench.label.c_str(), error);
            break;
        }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = cpu_seconds() - cpu_before;
    bench.descriptor->destroy(instance);
    const double millions = static_cast<double>(records.size()) / 1e6;
    std::printf("%-44s %9.0f events/s  %6.2f CPU s per million (sender and receiver)\n", bench.label.c_str(),
                static_cast<double>(records.size()) / seconds, cpu / millions);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    const size_t events = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
    std::vector<std::string> records(events);
    std::vector<std::string> ids(events);
    size_t bytes = 0;
    for (size_t n = 0; n < events; ++n) {
        records[n] = record_of(n, ids[n]);
        bytes += records[n].size();
    }
    std::printf("output bench: %zu sign-in records, %zu bytes each on average, loopback, batches of %zu\n", events,
                bytes / events, kBatch);
    const auto dir = std::filesystem::temp_directory_path() / ("vigil-output-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    TcpSink tcp;
    HttpSink http;
    const std::string tcp_address = "127.0.0.1:" + std::to_string(tcp.port());
    const std::string http_base = "http://127.0.0.1:" + std::to_string(http.port());
    const auto syslog = [&](const std::string& format) {
        return Case{"syslog tcp, " + format,
                    vigil::syslog_output_descriptor(),
                    {{"address", tcp_address},
                     {"transport", std::string("tcp")},
                     {"format", format},
                     {"facility", std::string("local0")},
                     {"app_name", std::string("vigil")},
                     {"hostname", std::string("bench")},
                     {"ca_file", std::string()},
                     {"timeout", int64_t{30'000}},
                     {"max_message_bytes", int64_t{65'000}}}};
    };
    const auto http_case = [&](const std::string& label, const std::string& mode, const std::string& path,
                               const std::string& format, bool gzip) {
        return Case{label,
                    vigil::http_output_descriptor(),
                    {{"url", http_base + path},
                     {"mode", mode},
                     {"format", format},
                     {"token", std::string()},
                     {"gzip", gzip},
                     {"index", std::string()},
                     {"sourcetype", std::string("vigil:event")},
                     {"hostname", std::string("bench")},
                     {"ca_file", std::string()},
                     {"timeout", int64_t{30'000}},
                     {"retry_wait", int64_t{1000}},
                     {"max_request_mb", int64_t{5}},
                     {"max_request_events", int64_t{1000}}}};
    };
    // librdkafka's mock cluster: three brokers on loopback speaking the Kafka protocol, in this process.
    char kafka_error[512] = {};
    rd_kafka_t* kafka_owner = rd_kafka_new(RD_KAFKA_PRODUCER, rd_kafka_conf_new(), kafka_error, sizeof(kafka_error));
    rd_kafka_mock_cluster_t* kafka = rd_kafka_mock_cluster_new(kafka_owner, 3);
    const std::string brokers = rd_kafka_mock_cluster_bootstraps(kafka);
    const auto kafka_case = [&](const std::string& label, const std::string& compression) {
        return Case{label,
                    vigil::kafka_output_descriptor(),
                    {{"brokers", brokers},
                     {"topic", std::string("vigil.{connector}")},
                     {"format", std::string("native")},
                     {"compression", compression},
                     {"timeout", int64_t{60'000}},
                     {"properties", std::vector<std::string>{}}}};
    };
    const std::vector<Case> cases = {
        Case{"jsonl, fsync per batch",
             vigil::jsonl_output_descriptor(),
             {{"path", (dir / "events.jsonl").string()},
              {"fsync", true},
              {"max_size_mb", int64_t{0}},
              {"rotate_daily", false},
              {"compress", true},
              {"max_files", int64_t{0}},
              {"format", std::string("native")}}},
        syslog("json"),
        syslog("cef"),
        syslog("ocsf"),
        http_case("http ndjson, gzip", "ndjson", "/hook", "native", true),
        http_case("http ndjson, no gzip", "ndjson", "/hook", "native", false),
        http_case("http splunk_hec, gzip", "splunk_hec", "/services/collector", "native", true),
        http_case("http elasticsearch _bulk, ecs, no gzip", "elasticsearch", "/_bulk", "ecs", false),
        kafka_case("kafka (mock cluster, 3 brokers), lz4", "lz4"),
        kafka_case("kafka (mock cluster, 3 brokers), none", "none"),
    };
    for (const Case& bench : cases) run(bench, records, ids);
    rd_kafka_mock_cluster_destroy(kafka);
    rd_kafka_destroy(kafka_owner);
    std::filesystem::remove_all(dir);
    return 0;
}
