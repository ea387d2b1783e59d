#include "outputs/http_output.hpp"

#include "outputs/event_format.hpp"
#include "outputs/http_body.hpp"
#include "outputs/http_poster.hpp"
#include "outputs/record_fields.hpp"
#include "util/gzip_file.hpp"

#include <vigil/plugin.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace vigil {

namespace {

constexpr int kAttempts = 4;              // per write(); then the host's own backoff takes over
constexpr int64_t kMaxRetryAfterS = 300;  // a longer Retry-After is capped: the host retries anyway
constexpr size_t kMaxErrorsLogged = 10;   // per batch, for items a receiver refused for good
constexpr size_t kResponseExcerpt = 300;

HttpMode mode_of(const std::string& name) {
    HttpMode mode{};
    if (!parse_http_mode(name, mode))
        throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT,
                         "mode: '" + name + "' is not ndjson, json_array, splunk_hec or elasticsearch");
    return mode;
}

HttpPoster::Options poster_options(const sdk::Config& config) {
    return {config.get_string("url"), config.get_string("ca_file"), config.get_int("timeout")};
}

std::string authorization(HttpMode mode, const std::string& token) {
    if (token.empty()) return {};
    switch (mode) {
        case HttpMode::splunk_hec:
            return "Splunk " + token;
        case HttpMode::elasticsearch:
            return "ApiKey " + token;
        default:
            return "Bearer " + token;
    }
}

bool loopback(const std::string& where) {
    return where.find("://127.") != std::string::npos || where.find("://localhost:") != std::string::npos ||
           where.find("://[::1]") != std::string::npos;
}

std::string hostname() {
    char name[256] = {};
    return ::gethostname(name, sizeof(name) - 1) == 0 ? name : "vigil";
}

class HttpOutput {
public:
    static constexpr vigil_plugin_kind kind = VIGIL_KIND_OUTPUT;
    static constexpr const char* name = "http";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description =
        "POSTs events in batches to a webhook, Splunk HEC or Elasticsearch/OpenSearch _bulk";
    static constexpr vigil_config_key config_keys[] = {
        sdk::key("url", VIGIL_VALUE_STRING, nullptr, "where batches are POSTed (https://...)", true),
        sdk::key("mode", VIGIL_VALUE_STRING, "ndjson", "ndjson, json_array, splunk_hec or elasticsearch"),
        sdk::key(
            "token", VIGIL_VALUE_STRING, "",
            "sent as Authorization: Bearer, Splunk (splunk_hec) or ApiKey (elasticsearch); use ${env:} or ${file:}"),
        sdk::key("format", VIGIL_VALUE_STRING, "native",
                 "each event as its record (native) or mapped to ocsf or ecs (docs/formats.md)"),
        sdk::key("gzip", VIGIL_VALUE_BOOL, "true", "compress request bodies (Content-Encoding: gzip)"),
        sdk::key("index", VIGIL_VALUE_STRING, "",
                 "elasticsearch: the index (default vigil-events); splunk_hec: the index"),
        sdk::key("sourcetype", VIGIL_VALUE_STRING, "vigil:event", "splunk_hec: the sourcetype"),
        sdk::key("hostname", VIGIL_VALUE_STRING, "", "splunk_hec: the events' host (default: this machine's)"),
        sdk::key("ca_file", VIGIL_VALUE_PATH, "", "https: an extra CA that signs the receiver's certificate"),
        sdk::key("timeout", VIGIL_VALUE_DURATION, "30s", "connecting, sending, and waiting for the response", false,
                 100, 600'000),
        sdk::key("retry_wait", VIGIL_VALUE_DURATION, "1s",
                 "the first wait before resending what the receiver asked to retry; doubled each time", false, 1,
                 60'000),
        sdk::key("max_request_mb", VIGIL_VALUE_INT, "5", "the largest request body before compression, in MiB", false,
                 1, 100),
        sdk::key("max_request_events", VIGIL_VALUE_INT, "1000", "the most events in one request", false, 1, 100'000),
    };

    HttpOutput(sdk::Host host, const sdk::Config& config)
        : host_(host),
          poster_(make_poster(config)),
          gzip_(config.get_bool("gzip")),
          retry_wait_ms_(config.get_int("retry_wait")),
          max_request_bytes_(static_cast<size_t>(config.get_int("max_request_mb")) << 20),
          max_request_events_(static_cast<size_t>(config.get_int("max_request_events"))) {
        format_.mode = mode_of(config.get_string("mode"));
        if (!parse_event_format(config.get_string("format"), event_format_))
            throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT,
                             "format: '" + config.get_string("format") + "' is not native, ocsf or ecs");
        format_.index = config.get_string("index");
        if (format_.mode == HttpMode::elasticsearch && format_.index.empty()) format_.index = "vigil-events";
        format_.sourcetype = config.get_string("sourcetype");
        format_.hostname = config.get_string("hostname").empty() ? hostname() : config.get_string("hostname");
        const std::string auth = authorization(format_.mode, config.get_string("token"));
        if (!auth.empty()) headers_["Authorization"] = auth;
        if (gzip_) headers_["Content-Encoding"] = "gzip";
        if (!poster_.encrypted() && !loopback(poster_.where()))
            host_.warn(poster_.where() + " is plain HTTP: events (and the token) travel unencrypted; use https://");
    }

    void open(std::string_view /*resume_token*/) {}  // connects at the first batch: a receiver down at start-up waits

    vigil_status write(std::span<const vigil_record* const> batch) {
        const std::span<const vigil_record* const> records =
            event_format_ == EventFormat::native ? batch : formatted(batch);
        pending_.resize(records.size());
        for (uint32_t i = 0; i < records.size(); ++i) pending_[i] = i;
        int64_t wait_ms = retry_wait_ms_;
        for (int attempt = 1;; ++attempt) {
            retry_.clear();
            retry_after_s_ = -1;
            send_all(records);
            if (retry_.empty()) return VIGIL_OK;
            if (attempt == kAttempts)
                throw sdk::Error(VIGIL_ERR_UNAVAILABLE, poster_.where() + " asked to retry " +
                                                            std::to_string(retry_.size()) + " events " +
                                                            std::to_string(kAttempts) + " times: " + last_reason_);
            pause(retry_after_s_ >= 0 ? std::min(retry_after_s_, kMaxRetryAfterS) * 1000 : wait_ms);
            wait_ms *= 2;
            pending_.swap(retry_);
        }
    }

private:
    // The batch with each record's JSON mapped to event_format_: copies of the records pointing into formatted_.
    std::span<const vigil_record* const> formatted(std::span<const vigil_record* const> batch) {
        formatted_.clear();
        offsets_.clear();
        for (const vigil_record* record : batch) {
            const std::string_view json(record->json.data, record->json.size);
            read_record_fields(reader_, *record, event_, reason_);
            offsets_.push_back(formatted_.size());
            formatter_.append(formatted_, event_format_, event_, json);
        }
        offsets_.push_back(formatted_.size());
        copies_.assign(batch.size(), vigil_record{});
        pointers_.resize(batch.size());
        for (size_t i = 0; i < batch.size(); ++i) {  // formatted_ is complete: the views below stay valid
            copies_[i] = *batch[i];
            copies_[i].json = vigil_str{formatted_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]};
            pointers_[i] = &copies_[i];
        }
        return pointers_;
    }

    static HttpPoster make_poster(const sdk::Config& config) {
        try {
            return HttpPoster(poster_options(config));
        } catch (const std::invalid_argument& failure) {
            throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT, failure.what());
        }
    }

    // Sends pending_ in requests within the size limits; what the receiver asks to retry goes to retry_.
    void send_all(std::span<const vigil_record* const> records) {
        size_t first = 0;
        while (first < pending_.size()) {
            size_t bytes = 0;
            size_t last = first;
            while (last < pending_.size() && last - first < max_request_events_) {
                const size_t size = records[pending_[last]]->json.size + 128;
                if (last > first && bytes + size > max_request_bytes_) break;
                bytes += size;
                ++last;
            }
            post(records, std::span<const uint32_t>(pending_).subspan(first, last - first));
            first = last;
        }
    }

    void post(std::span<const vigil_record* const> records, std::span<const uint32_t> chunk) {
        body_.clear();
        append_http_body(format_, records, chunk, body_);
        std::string_view payload = body_;
        if (gzip_) {
            gzip_buffer(body_, compressed_);
            payload = compressed_;
        }
        HttpPoster::Response response;
        try {
            response = poster_.post(payload, http_content_type(format_.mode), headers_);
        } catch (const std::runtime_error& failure) {
            throw sdk::Error(VIGIL_ERR_UNAVAILABLE, failure.what());
        }
        const int status = response.status;
        if (status >= 200 && status < 300) {
            if (format_.mode == HttpMode::elasticsearch) sort_bulk_items(records, chunk, response.body);
            return;
        }
        const std::string said = " (" + std::to_string(status) + "): " + response.body.substr(0, kResponseExcerpt);
        if (status == 429 || status == 408 || status >= 500) {
            retry_.insert(retry_.end(), chunk.begin(), chunk.end());
            retry_after_s_ = std::max(retry_after_s_, response.retry_after_s);
            last_reason_ = "the last answer was" + said;
            return;
        }
        if (status == 401 || status == 403)
            throw sdk::Error(VIGIL_ERR_DENIED, poster_.where() + " refused the token" + said + "; check token");
        if (status == 413)
            throw sdk::Error(VIGIL_ERR_UNAVAILABLE, poster_.where() + " refused a request of " +
                                                        std::to_string(payload.size()) + " bytes as too large" + said +
                                                        "; lower max_request_mb or max_request_events");
        throw sdk::Error(VIGIL_ERR_UNAVAILABLE, poster_.where() + " refused the batch" + said);
    }

    // _bulk answers 200 with a status per item: created (201) and already there (409: an earlier attempt stored
    // it) are delivered; 429 and 5xx are retried; anything else is refused for good and logged with its id, so one
    // document the index cannot take does not stop every later event.
    void sort_bulk_items(std::span<const vigil_record* const> records, std::span<const uint32_t> chunk,
                         std::string_view body) {
        std::string reason;
        if (!parse_bulk_response(body, items_, reason) || items_.size() != chunk.size()) {
            if (reason.empty())
                reason = "it answered " + std::to_string(items_.size()) + " items for " + std::to_string(chunk.size());
            throw sdk::Error(VIGIL_ERR_UNAVAILABLE, poster_.where() + ": " + reason + "; the batch is sent again");
        }
        size_t refused = 0;
        for (size_t i = 0; i < chunk.size(); ++i) {
            const int status = items_[i].status;
            if ((status >= 200 && status < 300) || status == 409) continue;
            if (status == 429 || status >= 500) {
                retry_.push_back(chunk[i]);
                last_reason_ = "the last item answer was (" + std::to_string(status) + ") " + items_[i].error;
                continue;
            }
            if (++refused <= kMaxErrorsLogged) {
                const vigil_record& record = *records[chunk[i]];
                host_.log(VIGIL_LOG_ERROR, poster_.where() + " refused event " +
                                               std::string(record.id.data, record.id.size) + " for good (" +
                                               std::to_string(status) + "): " + items_[i].error);
            }
        }
        if (refused > kMaxErrorsLogged)
            host_.log(VIGIL_LOG_ERROR, "... and " + std::to_string(refused - kMaxErrorsLogged) +
                                           " more events of "
                                           "this batch refused for good by " +
                                           poster_.where());
    }

    void pause(int64_t ms) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (std::chrono::steady_clock::now() < until) {
            if (host_.cancelled()) throw sdk::Error(VIGIL_ERR_CANCELLED, "stopping");
            std::this_thread::sleep_for(std::min(
                std::chrono::milliseconds(100),
                std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now())));
        }
    }

    sdk::Host host_;
    HttpPoster poster_;
    HttpBodyFormat format_;
    bool gzip_;
    int64_t retry_wait_ms_;
    size_t max_request_bytes_;
    size_t max_request_events_;
    std::map<std::string, std::string> headers_;

    EventFormat event_format_ = EventFormat::native;
    EventFormatter formatter_;
    EventRecordReader reader_;
    StoredEventView event_;
    std::string reason_;

    // Reused between batches.
    std::string formatted_;
    std::vector<size_t> offsets_;
    std::vector<vigil_record> copies_;
    std::vector<const vigil_record*> pointers_;
    std::vector<uint32_t> pending_;
    std::vector<uint32_t> retry_;
    std::vector<BulkItem> items_;
    std::string body_;
    std::string compressed_;
    int64_t retry_after_s_ = -1;
    std::string last_reason_;
};

}  // namespace

const vigil_plugin_descriptor* http_output_descriptor() {
    return sdk::describe<HttpOutput>();
}

}  // namespace vigil
