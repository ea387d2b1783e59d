#pragma once

#include <vigil/plugin.hpp>

#include <optional>
#include <string>

namespace vigil::connectors {

// What the log connectors do with each normalized record: name the tenant's default domain as `where`, hand the
// event to the host, and count the records that could not be read or that the host refused, so that one bad
// record is reported (the first five by name, then a count) and never stops a tenant's collection.
class EventEmitter {
public:
    // record_kind names the records in warnings: "directoryAudit", "signIn".
    EventEmitter(sdk::Host host, std::string record_kind) : host_(host), kind_(std::move(record_kind)) {}

    // Once per run: resets the counts; reads the tenant's domain if it is not known yet.
    void start_run();
    // VIGIL_OK, or the status that ends the run (the host is stopping, the spool failed). An event the host
    // refused (it logged why) is counted and collection goes on.
    vigil_status emit(sdk::Event& event);
    // A record that could not be read, and why.
    void skip(const std::string& why);
    // One warning with the counts, when anything was skipped or refused.
    void finish_run() const;

private:
    sdk::Host host_;
    std::string kind_;
    std::optional<std::string> domain_;  // nullopt: not known yet (or Graph could not answer last time)
    int skipped_ = 0;
    int refused_ = 0;
};

}  // namespace vigil::connectors
