// ConnectorJob's state-store services (ABI 1.2): a connector stages a snapshot of what it read; the host keeps the
// source's history and turns what changed into events stored with the job's checkpoint.
//
// Crash safety: state_finish() commits the snapshot (and the connector's cursor) to the source's store first, then
// its change events to the spool with the checkpoint "the snapshot whose events are stored". A crash in between
// leaves a finished snapshot newer than the checkpoint; the next run's state_begin() makes its events again
// (same ids) before anything else, so none is lost and none stored twice.
#include "pipeline/connector_job.hpp"

#include "pipeline/spool.hpp"
#include "store/state_change_event.hpp"
#include "util/json_checker.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <string>

namespace vigil {

namespace {

constexpr size_t kEventsPerCommit = 5'000;  // a large drift is stored in parts: memory stays bounded

std::string_view view(vigil_str text) {
    return text.data == nullptr ? std::string_view{} : std::string_view(text.data, text.size);
}

// The job's checkpoint when it keeps state: the time of the last snapshot whose events are stored.
int64_t stored_through(const std::string& checkpoint) {
    int64_t value = 0;
    std::from_chars(checkpoint.data(), checkpoint.data() + checkpoint.size(), value);
    return value;
}

}  // namespace

template <class Body>
vigil_status ConnectorJob::with_state(const char* what, Body&& body) {
    if (hooks_ == nullptr) return VIGIL_ERR_INVALID_ARGUMENT;  // only during run()
    try {
        return body();
    } catch (const std::exception& failure) {
        spdlog::error("[{}] state store: {} failed: {}", label_, what, failure.what());
        return VIGIL_ERR_IO;
    }
}

StateStore& ConnectorJob::state_store() {
    if (!state_) {
        const StateSource source{identity_.organization, identity_.source_group, identity_.tenant_id};
        state_ = std::make_unique<StateStore>(StateStore::path_for(spool_.data_dir(), source), source, false);
    }
    return *state_;
}

vigil_status ConnectorJob::emit_state_changes() {
    StateStore& store = state_store();
    const int64_t through = stored_through(checkpoint_);
    for (const int64_t snapshot : store.snapshots()) {
        if (snapshot <= through) continue;
        const std::string where = store.where_of(snapshot);
        vigil_status status = VIGIL_OK;
        size_t staged = 0;
        store.changes(snapshot, [&](const StateChange& change) {
            if (status != VIGIL_OK) return;
            state_change_event(change, snapshot, where, state_event_);
            stage(state_event_);
            if (++staged % kEventsPerCommit == 0) status = commit(vigil_str{nullptr, 0});
        });
        if (status != VIGIL_OK) return status;
        const std::string checkpoint = std::to_string(snapshot);
        if (const vigil_status committed = commit(vigil_str{checkpoint.data(), checkpoint.size()});
            committed != VIGIL_OK) {
            return committed;
        }
        spdlog::info("[{}] state snapshot {}: {} changes", label_, snapshot, staged);
    }
    return VIGIL_OK;
}

vigil_status ConnectorJob::state_begin(const vigil_state_snapshot* snapshot) {
    // A snapshot of the directory is the natural moment to learn who the service accounts are now, besides the
    // periodic refresh: unless this run already resolved them, they are read again.
    refresh_service_accounts(now_ms() - run_started_ms_);
    return with_state("begin", [&] {
        if (const vigil_status status = emit_state_changes(); status != VIGIL_OK) return status;
        state_store().begin(snapshot->taken_ms, view(snapshot->where));
        return VIGIL_OK;
    });
}

vigil_status ConnectorJob::state_put(const vigil_state_object* object) {
    if (object->kind.size == 0 || object->id.size == 0) return VIGIL_ERR_INVALID_ARGUMENT;
    if (!json_checker_.valid(view(object->json)) || view(object->json).front() != '{') {
        spdlog::warn("[{}] state object {} '{}' refused: its state is not a JSON object", label_, view(object->kind),
                     view(object->id));
        return VIGIL_ERR_INVALID_ARGUMENT;
    }
    return with_state("put", [&] {
        state_store().put(StateObjectView{view(object->kind), view(object->id), view(object->object_type),
                                          view(object->name), view(object->json)});
        return VIGIL_OK;
    });
}

vigil_status ConnectorJob::state_remove(vigil_str kind, vigil_str id) {
    return with_state("remove", [&] {
        state_store().remove(view(kind), view(id));
        return VIGIL_OK;
    });
}

vigil_status ConnectorJob::state_complete_kind(vigil_str kind) {
    return with_state("complete_kind", [&] {
        state_store().complete_kind(view(kind));
        return VIGIL_OK;
    });
}

vigil_status ConnectorJob::state_finish(vigil_str cursor) {
    return with_state("finish", [&] {
        StateStore& store = state_store();
        store.finish(view(cursor));
        if (const vigil_status status = emit_state_changes(); status != VIGIL_OK) return status;
        store.prune(now_ms() - state_options_.retention_ms);
        return VIGIL_OK;
    });
}

vigil_status ConnectorJob::state_cursor(vigil_str* out) {
    return with_state("cursor", [&] {
        state_cursor_ = state_store().cursor();
        *out = vigil_str{state_cursor_.data(), state_cursor_.size()};
        return VIGIL_OK;
    });
}

vigil_status ConnectorJob::state_read(vigil_str kind, vigil_state_object_fn fn, void* user_data) {
    return with_state("read", [&] {
        StateStore& store = state_store();
        const auto taken = store.snapshots();
        if (taken.empty()) return VIGIL_OK;
        store.read_at(
            taken.back(), view(kind),
            [&](const StateObjectView& object) {
                const vigil_state_object out{sizeof(vigil_state_object),
                                             vigil_str{object.kind.data(), object.kind.size()},
                                             vigil_str{object.id.data(), object.id.size()},
                                             vigil_str{object.object_type.data(), object.object_type.size()},
                                             vigil_str{object.name.data(), object.name.size()},
                                             vigil_str{object.json.data(), object.json.size()}};
                return fn(user_data, &out) != 0;
            },
            false);
        return VIGIL_OK;
    });
}

}  // namespace vigil
