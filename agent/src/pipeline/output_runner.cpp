#include "pipeline/output_runner.hpp"

#include "plugins/plugin_registry.hpp"

#include <spdlog/spdlog.h>
#include "util/wall_clock.hpp"

#include <algorithm>
#include <stdexcept>

namespace vigil {

namespace {
constexpr size_t kBatchSize = 8192;
constexpr size_t kErrorCapacity = 512;
constexpr auto kIdlePoll = std::chrono::milliseconds(500);
constexpr auto kMaxBackoff = std::chrono::milliseconds(60'000);

vigil_str view(std::string_view text) {
    return vigil_str{text.data(), text.size()};
}
}  // namespace

OutputRunner::OutputRunner(const PluginInfo& plugin, const OutputConfig& output, Spool& spool)
    : plugin_(plugin), output_(output), spool_(spool) {}

OutputRunner::~OutputRunner() {
    stop(std::chrono::steady_clock::now());
    if (instance_ != nullptr) plugin_.descriptor->destroy(instance_);
}

void OutputRunner::create() {
    vigil_config config{output_.settings};
    char error[kErrorCapacity] = {};
    if (plugin_.descriptor->create(host_table(), this, &config, &instance_, error, sizeof(error)) != VIGIL_OK) {
        instance_ = nullptr;
        throw std::runtime_error("output '" + output_.name +
                                 "' refused its configuration: " + (error[0] ? error : "no reason given"));
    }
    delivered_ = spool_.cursor(output_.name).sequence;
    if (!reopen()) throw std::runtime_error("output '" + output_.name + "' could not open; see the error above");
}

void OutputRunner::start() {
    thread_ = std::thread([this] { loop(); });
}

void OutputRunner::stop(std::chrono::steady_clock::time_point deadline) {
    if (!thread_.joinable()) return;
    drain_to_ = spool_.head();
    spool_.notify_all();
    if (!wait_delivered(drain_to_, deadline)) {
        spdlog::warn("output '{}' stopped with {} events undelivered; they stay spooled for the next start",
                     output_.name, drain_to_ - delivered_);
    }
    abandon_ = true;
    progress_.notify_all();
    spool_.notify_all();
    thread_.join();
}

bool OutputRunner::wait_delivered(uint64_t sequence, std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return progress_.wait_until(lock, deadline, [&] { return delivered_.load() >= sequence; });
}

void OutputRunner::log(vigil_log_level level, const char* message) {
    log_from_plugin(level, "output " + output_.name, message);
}

int64_t OutputRunner::now_ms() {
    return wall_clock_ms();
}

vigil_status OutputRunner::set_resume_token(vigil_str token) {
    pending_token_.assign(token.data ? token.data : "", token.size);
    token_set_ = true;
    return VIGIL_OK;
}

void OutputRunner::loop() {
    SpoolReader reader(spool_);
    auto backoff = std::chrono::milliseconds(1000);
    while (!abandon_) {
        uint64_t from = delivered_.load();
        if (from >= drain_to_) break;
        if (const uint64_t lost = spool_.lost_before(); from < lost) {
            skip_lost(from, lost);
            from = lost;
        }
        size_t count = 0;
        try {
            count = reader.read(from, kBatchSize, events_);
        } catch (const std::exception& failure) {
            spdlog::error("output '{}' cannot read the spool: {}", output_.name, failure.what());
            pause(backoff);
            continue;
        }
        if (count == 0) {
            spool_.wait_for_events_after(from, kIdlePoll);
            continue;
        }
        if (deliver(count)) {
            backoff = std::chrono::milliseconds(1000);
            continue;
        }
        pause(backoff);
        backoff = std::min(backoff * 2, kMaxBackoff);
        reopen();
    }
}

void OutputRunner::note_failure(std::string reason) {
    std::lock_guard lock(mutex_);
    ++health_.failures;
    ++health_.consecutive_failures;
    health_.last_error = std::move(reason);
}

OutputRunner::Health OutputRunner::health() const {
    std::lock_guard lock(mutex_);
    return health_;
}

bool OutputRunner::deliver(size_t count) {
    // Compose the records first: events_ and composed_ must not reallocate while records point into them.
    composed_.clear();
    if (!output_.include_raw) {
        for (size_t i = 0; i < count; ++i) {
            const SegmentRecord& event = events_[i];
            if (event.raw_offset > 0)
                composed_.append(event.json.substr(0, static_cast<size_t>(event.raw_offset))) += '}';
        }
    }
    records_.resize(count);
    pointers_.resize(count);
    size_t composed_offset = 0;
    for (size_t i = 0; i < count; ++i) {
        const SegmentRecord& event = events_[i];
        vigil_record& record = records_[i];
        record.struct_size = sizeof(vigil_record);
        record.sequence = event.sequence;
        record.id = view(event.id);
        record.time_ms = event.time_ms;
        record.connector = view(connector_of(event.job_id));
        if (!output_.include_raw && event.raw_offset > 0) {
            const size_t size = static_cast<size_t>(event.raw_offset) + 1;
            record.json = vigil_str{composed_.data() + composed_offset, size};
            composed_offset += size;
        } else {
            record.json = view(event.json);
        }
        pointers_[i] = &record;
    }
    char error[kErrorCapacity] = {};
    token_set_ = false;
    const vigil_status status = plugin_.descriptor->write(instance_, pointers_.data(), count, error, sizeof(error));
    if (status != VIGIL_OK) {
        spdlog::error("output '{}' failed to deliver {} events ({}): {}; retrying", output_.name, count,
                      static_cast<int>(status), error[0] ? error : "no reason given");
        note_failure(error[0] ? error : "no reason given");
        return false;
    }
    if (token_set_) resume_token_ = pending_token_;
    const uint64_t last = events_[count - 1].sequence;
    try {
        spool_.save_cursor(output_.name, last, resume_token_);
    } catch (const std::exception& failure) {
        // Delivered but not recorded: the resume token still points before this batch, so reopening rewinds it.
        spdlog::error("output '{}' delivered {} events but could not save its cursor: {}", output_.name, count,
                      failure.what());
        note_failure(std::string("could not save its cursor: ") + failure.what());
        return false;
    }
    {
        std::lock_guard lock(mutex_);
        delivered_ = last;
        ++health_.batches;
        health_.consecutive_failures = 0;
        health_.last_delivered_ms = wall_clock_ms();
    }
    progress_.notify_all();
    return true;
}

void OutputRunner::skip_lost(uint64_t from, uint64_t lost) {
    const uint64_t count = lost - from;
    spdlog::error(
        "output '{}' lost {} events (spool sequences {} to {}): the spool reached its budget and dropped its oldest "
        "events undelivered (agent.spool.when_full: drop_oldest)",
        output_.name, count, from + 1, lost);
    lost_events_ += count;
    try {
        spool_.save_cursor(output_.name, lost, resume_token_);
    } catch (const std::exception& failure) {
        spdlog::error("output '{}' could not save its cursor: {}", output_.name, failure.what());
    }
    std::lock_guard lock(mutex_);
    delivered_ = lost;
    progress_.notify_all();
}

const std::string& OutputRunner::connector_of(int64_t job_id) {
    auto it = connectors_.find(job_id);
    if (it == connectors_.end()) it = connectors_.emplace(job_id, spool_.connector_of(job_id)).first;
    return it->second;
}

bool OutputRunner::reopen() {
    const Spool::Cursor cursor = spool_.cursor(output_.name);
    resume_token_ = cursor.resume_token;
    char error[kErrorCapacity] = {};
    token_set_ = false;
    if (plugin_.descriptor->open(instance_, view(resume_token_), error, sizeof(error)) != VIGIL_OK) {
        spdlog::error("output '{}' could not open: {}", output_.name, error[0] ? error : "no reason given");
        return false;
    }
    // The position open() starts from is saved before anything is written, so that a crash during the very first
    // write rewinds to it too.
    if (token_set_ && pending_token_ != resume_token_) {
        resume_token_ = pending_token_;
        spool_.save_cursor(output_.name, cursor.sequence, resume_token_);
    }
    return true;
}

void OutputRunner::pause(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    progress_.wait_for(lock, delay, [&] { return abandon_.load(); });
}

}  // namespace vigil
