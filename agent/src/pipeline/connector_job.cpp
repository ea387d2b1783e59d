#include "pipeline/connector_job.hpp"

#include "graph/graph_client.hpp"
#include "hooks/hook_chain.hpp"
#include "hooks/service_accounts.hpp"
#include "pipeline/spool.hpp"
#include "plugins/plugin_registry.hpp"
#include "store/state_change_event.hpp"

#include <spdlog/spdlog.h>
#include "util/wall_clock.hpp"

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace vigil {

namespace {

constexpr size_t kErrorCapacity = 512;

}  // namespace

ConnectorJob::ConnectorJob(JobIdentity identity, const PluginInfo& plugin, const ConnectorConfig& connector,
                           const CredentialConfig* credential, Spool& spool, const std::atomic<bool>& stopping,
                           GraphAccess graph, StateOptions state)
    : identity_(std::move(identity)),
      label_(identity_.label()),
      plugin_(plugin),
      connector_(connector),
      credential_(credential ? *credential : CredentialConfig{}),
      spool_(spool),
      stopping_(stopping),
      interval_ms_(connector.interval_ms),
      graph_access_(std::move(graph)),
      state_options_(state) {}

ConnectorJob::~ConnectorJob() {
    if (instance_ != nullptr) plugin_.descriptor->destroy(instance_);
}

void ConnectorJob::create() {
    job_id_ = spool_.job_id(identity_);
    vigil_config config{connector_.settings};
    char error[kErrorCapacity] = {};
    const vigil_status status =
        plugin_.descriptor->create(host_table(), this, &config, &instance_, error, sizeof(error));
    if (status != VIGIL_OK) {
        instance_ = nullptr;
        throw std::runtime_error("connector " + identity_.connector + " for tenant " + identity_.tenant_id +
                                 " of organization '" + identity_.organization +
                                 "' refused its configuration: " + (error[0] ? error : "no reason given"));
    }
}

bool ConnectorJob::run(HookChain& hooks) {
    hooks_ = &hooks;
    batch_.clear();
    serialized_.clear();
    rejected_in_run_ = 0;
    commit_error_.clear();
    paused_by_spool_ = false;
    const Totals before = totals();
    char error[kErrorCapacity] = {};
    vigil_status status = VIGIL_OK;
    last_ticket_ = 0;
    health_.started(now_ms());
    try {
        spool_.begin_run(job_id_);
        if (const std::string full = spool_.full_reason(); !full.empty()) {
            // Not a failure of the source: the run waits for the outputs, and Graph keeps what it would read.
            spdlog::warn("[{}] paused: {}", label_, full);
            health_.paused(now_ms(), full);
            hooks_ = nullptr;
            return false;
        }
        checkpoint_ = spool_.checkpoint(job_id_);
        run_started_ms_ = now_ms();
        accounts_checked_in_run_ = false;
        status = plugin_.descriptor->run(instance_, error, sizeof(error));
        // A finished run stores what it emitted and did not commit, keeping the checkpoint it had.
        if (status == VIGIL_OK && (!batch_.empty() || !serialized_.rows.empty())) {
            status = commit(vigil_str{nullptr, 0});
        }
        // Commits are group-committed by the spool's writer: the run is done when its last one is on disk.
        std::string reason;
        if (status == VIGIL_OK && last_ticket_ != 0 && !spool_.wait_durable(job_id_, last_ticket_, reason)) {
            std::snprintf(error, sizeof(error), "the spool could not store this run's events: %s", reason.c_str());
            status = VIGIL_ERR_IO;
        }
    } catch (const std::exception& failure) {
        std::snprintf(error, sizeof(error), "%s", failure.what());
        status = VIGIL_ERR_INTERNAL;
    }
    if (status != VIGIL_OK && last_ticket_ != 0) {
        // What the run committed before it failed stands (its checkpoint moved with it): settle it now, so the run
        // ends with its events durable and `--once` delivers them in this cycle, not the next.
        std::string reason;
        if (!spool_.wait_durable(job_id_, last_ticket_, reason)) {
            spdlog::warn("[{}] the events committed before the failure were not stored either: {}", label_, reason);
        }
    }
    if (state_ && state_->in_snapshot()) state_->abandon();  // an unfinished snapshot leaves the store as it was
    batch_.clear();  // on failure: uncommitted events are dropped; the checkpoint did not move, so they come again
    serialized_.clear();
    hooks_ = nullptr;
    const Totals after = totals();
    if (status != VIGIL_OK) {
        // The plugin passes the host's refusal on; the host's own words say more than the plugin's.
        const std::string reason = !commit_error_.empty() ? commit_error_ : error[0] ? error : "no reason given";
        spdlog::error("[{}] run failed ({}): {}", label_, static_cast<int>(status), reason);
        if (paused_by_spool_) {
            health_.paused(now_ms(), reason);
        } else {
            health_.failed(now_ms(), reason);
        }
        return false;
    }
    health_.succeeded(now_ms());
    spdlog::info("[{}] run done: {} stored, {} duplicate, {} filtered by hooks{}", label_, after.stored - before.stored,
                 after.duplicates - before.duplicates, after.filtered - before.filtered,
                 rejected_in_run_ ? ", " + std::to_string(rejected_in_run_) + " rejected as malformed" : "");
    return true;
}

int64_t ConnectorJob::lag_ms() const {
    const PluginSettings::Value* lag = connector_.settings.find("lag");
    const auto* ms = lag ? std::get_if<int64_t>(lag) : nullptr;
    return ms ? *ms : 0;
}

ConnectorJob::Totals ConnectorJob::totals() const {
    return Totals{emitted_.load(), stored_.load(), duplicates_.load(), filtered_.load(), rejected_.load()};
}

void ConnectorJob::log(vigil_log_level level, const char* message) {
    log_from_plugin(level, label_, message);
}

int64_t ConnectorJob::now_ms() {
    return wall_clock_ms();
}

vigil_status ConnectorJob::read_secret(const char* name, char* buffer, size_t capacity, size_t* out_size) {
    const std::string key = name;
    const std::string* value = nullptr;
    if (key == "client_id") value = &credential_.client_id;
    if (key == "client_secret" && credential_.client_secret) value = &*credential_.client_secret;
    if (key == "certificate_file" && !credential_.certificate_file.empty()) value = &credential_.certificate_file;
    if (key == "private_key_file" && !credential_.private_key_file.empty()) value = &credential_.private_key_file;
    if (value == nullptr) return VIGIL_ERR_NOT_FOUND;
    *out_size = value->size();
    if (buffer == nullptr || capacity < value->size() + 1) return VIGIL_ERR_BUFFER_TOO_SMALL;
    std::memcpy(buffer, value->data(), value->size());
    buffer[value->size()] = '\0';
    return VIGIL_OK;
}

vigil_status ConnectorJob::emit(const vigil_event* event) {
    if (hooks_ == nullptr) return VIGIL_ERR_INVALID_ARGUMENT;  // only during run()
    const auto bad = [&](const char* why) {
        rejected_.fetch_add(1, std::memory_order_relaxed);
        if (++rejected_in_run_ <= 5) {  // a broken plugin must not flood the log
            spdlog::warn("[{}] event '{}' rejected: {}", label_,
                         std::string_view(event->id.data ? event->id.data : "", event->id.size), why);
        }
        return VIGIL_ERR_INVALID_ARGUMENT;
    };
    if (event->id.size == 0) return bad("it has no id");
    if (event->details_json.size > 0 && !json_checker_.valid({event->details_json.data, event->details_json.size})) {
        return bad("details is not valid JSON");
    }
    if (event->raw_json.size > 0 && !json_checker_.valid({event->raw_json.data, event->raw_json.size})) {
        return bad("raw is not valid JSON");
    }
    if (hooks_->empty()) {
        serialize_event(EventView::of(*event), identity_, serialized_);  // no hook works on it: no copy to keep
    } else {
        batch_.append().assign(*event);
    }
    emitted_.fetch_add(1, std::memory_order_relaxed);
    return VIGIL_OK;
}

void ConnectorJob::stage(const Event& event) {
    if (hooks_->empty()) {
        serialize_event(event, identity_, serialized_);
    } else {
        batch_.append() = event;
    }
    emitted_.fetch_add(1, std::memory_order_relaxed);
}

vigil_status ConnectorJob::commit(vigil_str checkpoint) {
    if (hooks_ == nullptr) return VIGIL_ERR_INVALID_ARGUMENT;
    uint64_t filtered = 0;
    // Without hooks, emit() serialized each event already; with them, each is serialized once its hooks kept it.
    for (size_t i = 0; i < batch_.size(); ++i) {
        Event& event = batch_[i];
        if (hooks_->apply(event, identity_) == HookVerdict::drop) {
            ++filtered;
            continue;
        }
        serialize_event(event, identity_, serialized_);
    }
    const bool update_checkpoint = checkpoint.size > 0;
    const std::string_view checkpoint_view(checkpoint.data ? checkpoint.data : "", checkpoint.size);
    try {
        const Spool::CommitResult result =
            spool_.commit(job_id_, serialized_, checkpoint_view, update_checkpoint, now_ms());
        if (result.ticket != 0) last_ticket_ = result.ticket;
        stored_.fetch_add(result.stored, std::memory_order_relaxed);
        duplicates_.fetch_add(result.duplicates, std::memory_order_relaxed);
        filtered_.fetch_add(filtered, std::memory_order_relaxed);
    } catch (const Spool::Full& full) {
        // Not a failure of the source: the outputs are behind. The run ends here, its checkpoint where it was.
        paused_by_spool_ = true;
        commit_error_ = full.what();
        return VIGIL_ERR_IO;
    } catch (const std::exception& failure) {
        commit_error_ = "could not store " + std::to_string(serialized_.rows.size()) + " events: " + failure.what();
        return VIGIL_ERR_IO;
    }
    if (update_checkpoint) checkpoint_.assign(checkpoint_view);
    batch_.clear();
    serialized_.clear();
    return VIGIL_OK;
}

graph::GraphClient& ConnectorJob::graph_client() {
    if (!graph_) {  // made on first use; a CA file that cannot be read fails here, with its name
        graph_ = std::make_unique<graph::GraphClient>(
            *graph_access_.source, *graph_access_.tokens, *graph_access_.limiter,
            graph::RetryPolicy{graph_access_.max_attempts, std::chrono::milliseconds(1000),
                               std::chrono::milliseconds(60'000)},
            stopping_);
        graph_->count_into(&graph_counts_);
    }
    return *graph_;
}

void ConnectorJob::refresh_service_accounts(int64_t max_age_ms) {
    // Every source with Graph access: its billable accounts are counted with its service accounts, which it may
    // not have (then only the enabled, licensed users are counted).
    if (graph_access_.service_accounts == nullptr || !graph_access_.source) return;
    const std::string key = ServiceAccounts::key(identity_.organization, identity_.source_group, identity_.tenant_id);
    if (!graph_access_.service_accounts->stale(key, now_ms(), max_age_ms)) return;
    try {
        ServiceAccounts::Resolved resolved =
            resolve_service_accounts(graph_client(), graph_access_.service_account_groups, now_ms());
        for (const std::string& unknown : resolved.unknown_groups) {
            spdlog::error(
                "[{}] service-account group '{}' does not exist in tenant {}: fix service_account_groups "
                "(its members' events are not excluded)",
                label_, unknown, identity_.tenant_id);
        }
        try {
            resolved.billable = count_billable_accounts(graph_client(), resolved);
        } catch (const std::exception& failure) {
            spdlog::warn("[{}] billable accounts could not be counted ({}): grant User.Read.All to count them", label_,
                         failure.what());
        }
        if (!graph_access_.service_account_groups.empty()) {
            spdlog::info("[{}] service accounts: {} members of {} group(s)", label_, resolved.accounts,
                         graph_access_.service_account_groups.size());
        }
        graph_access_.service_accounts->set(key, std::move(resolved));
    } catch (const std::exception& failure) {
        spdlog::warn("[{}] service-account groups could not be read ({}); the last known members are used", label_,
                     failure.what());
    }
}

vigil_status ConnectorJob::graph_get(const char* path_or_url, vigil_graph_page_fn on_page, void* user_data, char* error,
                                     size_t error_capacity) {
    const auto fail = [&](vigil_status status, const std::string& message) {
        if (error != nullptr && error_capacity > 0) std::snprintf(error, error_capacity, "%s", message.c_str());
        return status;
    };
    if (hooks_ == nullptr) return fail(VIGIL_ERR_INVALID_ARGUMENT, "graph_get is for use during run()");
    if (!graph_access_.source) return fail(VIGIL_ERR_UNAVAILABLE, "this source has no Graph access configured");
    if (!accounts_checked_in_run_) {
        // Before the run's first page, whose events the hooks judge: only jobs that read Graph resolve the
        // source's service accounts (and count its billable accounts); a connector that never calls Graph costs
        // the tenant nothing.
        accounts_checked_in_run_ = true;
        refresh_service_accounts(graph_access_.service_accounts_refresh_ms);
    }
    try {
        graph_client().get_pages(path_or_url, [&](std::string_view page) {
            return on_page(user_data, vigil_str{page.data(), page.size()}) != 0;
        });
        return VIGIL_OK;
    } catch (const graph::GraphError& failure) {
        using Kind = graph::GraphError::Kind;
        switch (failure.kind()) {
            case Kind::cancelled:
                return fail(VIGIL_ERR_CANCELLED, failure.what());
            case Kind::expired_link:
                return fail(VIGIL_ERR_EXPIRED, failure.what());
            case Kind::auth:
            case Kind::permission:
            case Kind::tls:
            case Kind::bad_request:
            case Kind::not_found:
                return fail(VIGIL_ERR_DENIED, failure.what());
            default:
                return fail(VIGIL_ERR_UNAVAILABLE, failure.what());
        }
    } catch (const std::exception& failure) {
        // A credential or CA file that cannot be read, say: the message names it.
        return fail(VIGIL_ERR_DENIED, failure.what());
    }
}

vigil_status ConnectorJob::checkpoint(vigil_str* out) {
    *out = checkpoint_.empty() ? vigil_str{nullptr, 0} : vigil_str{checkpoint_.data(), checkpoint_.size()};
    return VIGIL_OK;
}

}  // namespace vigil
