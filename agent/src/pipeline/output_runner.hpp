#pragma once

#include "config/config.hpp"
#include "pipeline/spool.hpp"
#include "plugins/host_context.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vigil {

struct PluginInfo;

// Delivers the spool to one output plugin from its own cursor, on its own thread: a slow or broken output only
// grows its own backlog. After each successful write() the cursor and the output's resume token are saved
// together; after a failure the output is reopened from the last saved token and the same events are retried
// with exponential backoff.
class OutputRunner final : public vigil_host_ctx {
public:
    OutputRunner(const PluginInfo& plugin, const OutputConfig& output, Spool& spool);
    ~OutputRunner() override;
    OutputRunner(const OutputRunner&) = delete;
    OutputRunner& operator=(const OutputRunner&) = delete;

    // Creates the instance and opens it at the saved token; throws std::runtime_error with the reason.
    void create();
    void start();
    // Stops after delivering everything stored up to now, or at the deadline, whichever comes first.
    void stop(std::chrono::steady_clock::time_point deadline);
    // Blocks until the output has delivered up to sequence (true) or the deadline passed (false).
    bool wait_delivered(uint64_t sequence, std::chrono::steady_clock::time_point deadline);

    const std::string& name() const { return output_.name; }
    uint64_t delivered() const { return delivered_.load(); }
    uint64_t lost_events() const { return lost_events_.load(); }  // dropped undelivered (spool budget)

    // How deliveries went, for the status endpoint and the run summary.
    struct Health {
        uint64_t batches = 0;               // delivered
        uint64_t failures = 0;              // failed attempts since the agent started
        uint64_t consecutive_failures = 0;  // since the last delivery
        int64_t last_delivered_ms = 0;      // 0: nothing delivered yet
        std::string last_error;             // the last failure's reason; kept after a recovery, for the record
    };
    Health health() const;
    const std::string& type() const { return output_.type; }

    // vigil_host_ctx
    void log(vigil_log_level level, const char* message) override;
    int64_t now_ms() override;
    bool cancelled() override { return abandon_.load(); }
    vigil_status set_resume_token(vigil_str token) override;

private:
    void loop();
    bool deliver(size_t count);
    bool reopen();
    void skip_lost(uint64_t from, uint64_t lost);
    const std::string& connector_of(int64_t job_id);
    void pause(std::chrono::milliseconds delay);

    const PluginInfo& plugin_;
    OutputConfig output_;
    Spool& spool_;
    void* instance_ = nullptr;
    std::thread thread_;

    void note_failure(std::string reason);

    mutable std::mutex mutex_;
    std::condition_variable progress_;
    Health health_;  // under mutex_
    std::atomic<uint64_t> delivered_{0};
    std::atomic<uint64_t> drain_to_{UINT64_MAX};  // stop once delivered reaches this
    std::atomic<bool> abandon_{false};            // the deadline passed: stop now
    std::atomic<uint64_t> lost_events_{0};

    // Touched only by the runner thread.
    std::string resume_token_;
    std::string pending_token_;
    bool token_set_ = false;
    std::vector<SegmentRecord> events_;
    std::vector<vigil_record> records_;
    std::vector<const vigil_record*> pointers_;
    std::map<int64_t, std::string> connectors_;  // job id -> connector name
    std::string composed_;                       // events without their raw record, for outputs with include_raw: false
};

}  // namespace vigil
