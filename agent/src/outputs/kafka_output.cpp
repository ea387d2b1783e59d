#include "outputs/kafka_output.hpp"

#include "outputs/event_format.hpp"
#include "outputs/record_fields.hpp"

#include <vigil/plugin.hpp>

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vigil {

namespace {

constexpr size_t kErrorCapacity = 512;

// What the delivery reports of the current batch said. The producer's opaque: delivery reports are served on the
// output's thread (rd_kafka_poll/flush). Each message carries its batch's number, so a late report of an earlier,
// abandoned batch is not counted for the current one.
struct DeliveryTally {
    uintptr_t batch = 0;
    size_t delivered = 0;
    size_t failed = 0;
    std::string first_error;
};

// The topic of a connector's events: "{connector}" in the template replaced.
std::string topic_for(const std::string& pattern, std::string_view connector) {
    std::string topic = pattern;
    const std::string placeholder = "{connector}";
    for (size_t at = topic.find(placeholder); at != std::string::npos; at = topic.find(placeholder, at)) {
        topic.replace(at, placeholder.size(), connector);
        at += connector.size();
    }
    return topic;
}

struct ProducerDeleter {
    void operator()(rd_kafka_t* producer) const { rd_kafka_destroy(producer); }
};

class KafkaOutput {
public:
    static constexpr vigil_plugin_kind kind = VIGIL_KIND_OUTPUT;
    static constexpr const char* name = "kafka";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description =
        "Produces each event to Kafka (idempotent producer, a topic per connector)";
    static constexpr vigil_config_key config_keys[] = {
        sdk::key("brokers", VIGIL_VALUE_STRING, nullptr, "bootstrap brokers, host:port[,host:port...]", true),
        sdk::key("topic", VIGIL_VALUE_STRING, "vigil.{connector}", "the topic; {connector} is the event's connector"),
        sdk::key("format", VIGIL_VALUE_STRING, "native", "each event as its record (native) or mapped to ocsf or ecs"),
        sdk::key("compression", VIGIL_VALUE_STRING, "lz4", "none, gzip, snappy, lz4 or zstd"),
        sdk::key("timeout", VIGIL_VALUE_DURATION, "30s", "how long a batch may wait for the brokers' acknowledgements",
                 false, 1000, 600'000),
        sdk::key("properties", VIGIL_VALUE_STRING_LIST, "",
                 "more librdkafka settings as key=value (security.protocol=SASL_SSL, sasl.username=..., "
                 "ssl.ca.location=...); secrets through ${env:} or ${file:}"),
    };

    KafkaOutput(sdk::Host host, const sdk::Config& config)
        : host_(host), topic_pattern_(config.get_string("topic")), timeout_ms_(config.get_int("timeout")) {
        if (!parse_event_format(config.get_string("format"), format_))
            throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT,
                             "format: '" + config.get_string("format") + "' is not native, ocsf or ecs");
        if (topic_pattern_.empty()) throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT, "topic: empty");
        settings_ = {
            {"bootstrap.servers", config.get_string("brokers")},
            {"enable.idempotence", "true"},  // acks=all, ordered, no duplicates from the producer's own retries
            {"compression.codec", config.get_string("compression")},
            {"message.timeout.ms", std::to_string(timeout_ms_)},
            {"linger.ms", "5"},
        };
        for (const std::string& property : config.get_list("properties")) {
            const auto equals = property.find('=');
            if (equals == std::string::npos || equals == 0)
                throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT,
                                 "properties: '" + property.substr(0, property.find('=')) + "' is not key=value");
            settings_[property.substr(0, equals)] = property.substr(equals + 1);
        }
        // Envoy's rule: refuse what cannot work before the agent starts. Building the configuration checks every
        // property's name and value; no connection is made until the first batch.
        rd_kafka_conf_destroy(make_configuration());
    }

    void open(std::string_view /*resume_token*/) {
        // A producer whose idempotence broke (a fatal error) cannot continue: start a new one.
        if (producer_ && rd_kafka_fatal_error(producer_.get(), nullptr, 0) != RD_KAFKA_RESP_ERR_NO_ERROR)
            producer_.reset();
    }

    vigil_status write(std::span<const vigil_record* const> records) {
        if (!producer_) create_producer();
        tally_ = DeliveryTally{tally_.batch + 1, 0, 0, {}};
        for (const vigil_record* record : records) produce(*record);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
        while (rd_kafka_outq_len(producer_.get()) > 0 && std::chrono::steady_clock::now() < deadline) {
            rd_kafka_flush(producer_.get(), 100);
            if (host_.cancelled()) break;
        }
        if (tally_.delivered == records.size()) return VIGIL_OK;
        // What is still queued is taken back, so that it is not delivered behind the retry's back (what was in
        // flight may still arrive: at least once).
        const DeliveryTally tally = tally_;
        rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_poll(producer_.get(), 0);
        const std::string why = tally.failed > 0 ? tally.first_error : "no acknowledgement in time";
        throw sdk::Error(VIGIL_ERR_UNAVAILABLE,
                         "Kafka (" + settings_["bootstrap.servers"] + ") took " + std::to_string(tally.delivered) +
                             " of " + std::to_string(records.size()) + " events: " + why + "; the batch is sent again");
    }

private:
    rd_kafka_conf_t* make_configuration() {
        rd_kafka_conf_t* configuration = rd_kafka_conf_new();
        char error[kErrorCapacity] = {};
        for (const auto& [key, value] : settings_) {
            if (rd_kafka_conf_set(configuration, key.c_str(), value.c_str(), error, sizeof(error)) !=
                RD_KAFKA_CONF_OK) {
                rd_kafka_conf_destroy(configuration);
                // The value is left out: it may be a password.
                throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT, "Kafka setting " + key + ": " + error);
            }
        }
        rd_kafka_conf_set_dr_msg_cb(configuration, on_delivery);
        rd_kafka_conf_set_log_cb(configuration, on_log);
        rd_kafka_conf_set_opaque(configuration, this);
        return configuration;
    }

    // Served on the output's thread, inside rd_kafka_poll/flush.
    static void on_delivery(rd_kafka_t* /*producer*/, const rd_kafka_message_t* message, void* opaque) {
        DeliveryTally& tally = static_cast<KafkaOutput*>(opaque)->tally_;
        if (reinterpret_cast<uintptr_t>(message->_private) != tally.batch) return;  // an abandoned batch's
        if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            ++tally.delivered;
            return;
        }
        if (tally.failed++ == 0) tally.first_error = rd_kafka_err2str(message->err);
    }

    // librdkafka's own threads log through here into the agent's log (which is thread-safe), not to stderr.
    static void on_log(const rd_kafka_t* producer, int level, const char* facility, const char* message) {
        auto* self = static_cast<KafkaOutput*>(rd_kafka_opaque(producer));
        if (self == nullptr) return;
        self->host_.log(level <= 4 ? VIGIL_LOG_WARN : VIGIL_LOG_DEBUG,
                        std::string("librdkafka ") + facility + ": " + message);
    }

    void create_producer() {
        rd_kafka_conf_t* configuration = make_configuration();
        char error[kErrorCapacity] = {};
        rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, configuration, error, sizeof(error));
        if (producer == nullptr) {
            rd_kafka_conf_destroy(configuration);
            throw sdk::Error(VIGIL_ERR_UNAVAILABLE, std::string("cannot start the Kafka producer: ") + error);
        }
        producer_.reset(producer);
    }

    void produce(const vigil_record& record) {
        const std::string_view connector(record.connector.data, record.connector.size);
        auto topic = topics_.find(connector);
        if (topic == topics_.end())
            topic = topics_.emplace(std::string(connector), topic_for(topic_pattern_, connector)).first;
        std::string_view value(record.json.data, record.json.size);
        if (format_ != EventFormat::native) {
            read_record_fields(reader_, record, event_, reason_);
            formatted_.clear();
            formatter_.append(formatted_, format_, event_, value);
            value = formatted_;
        }
        for (;;) {
            const rd_kafka_resp_err_t error =
                rd_kafka_producev(producer_.get(), RD_KAFKA_V_TOPIC(topic->second.c_str()),
                                  RD_KAFKA_V_KEY(const_cast<char*>(record.id.data), record.id.size),
                                  RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_TIMESTAMP(record.time_ms),
                                  RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(tally_.batch)), RD_KAFKA_V_END);
            if (error == RD_KAFKA_RESP_ERR_NO_ERROR) return;
            if (error != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                throw sdk::Error(VIGIL_ERR_UNAVAILABLE,
                                 std::string("Kafka refused an event: ") + rd_kafka_err2str(error));
            rd_kafka_poll(producer_.get(), 100);  // the local queue is full: let deliveries make room
        }
    }

    sdk::Host host_;
    std::string topic_pattern_;
    int64_t timeout_ms_;
    EventFormat format_ = EventFormat::native;
    std::map<std::string, std::string> settings_;  // never logged whole: SASL passwords live here
    DeliveryTally tally_;                          // before producer_: the producer, destroyed first, points at it
    std::unique_ptr<rd_kafka_t, ProducerDeleter> producer_;
    std::map<std::string, std::string, std::less<>> topics_;  // connector -> topic
    EventRecordReader reader_;
    EventFormatter formatter_;
    StoredEventView event_;
    std::string reason_;
    std::string formatted_;
};

}  // namespace

const vigil_plugin_descriptor* kafka_output_descriptor() {
    return sdk::describe<KafkaOutput>();
}

}  // namespace vigil
