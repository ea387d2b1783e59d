// What the log connectors do with each normalized event, against a scripted host: the tenant's domain as `where`,
// refused events counted without stopping the run, and the statuses that must stop it passed on.
#include "event_emitter.hpp"

#include "support/scripted_host.hpp"

#include <gtest/gtest.h>

namespace vigil::connectors {
namespace {

const std::string kOrganization =
    R"({"value":[{"verifiedDomains":[{"name":"contoso.onmicrosoft.com","isDefault":false},)"
    R"({"name":"contoso.com","isDefault":true}]}]})";

sdk::Event event(const char* id) {
    sdk::Event out;
    out.id = id;
    return out;
}

TEST(EventEmitter, NamesTheTenantsDefaultDomainAsWhere) {
    test::ScriptedHost host;
    host.answer("/v1.0/organization", {kOrganization});
    EventEmitter emitter(host.host(), "signIn");
    emitter.start_run();
    sdk::Event first = event("a");
    ASSERT_EQ(emitter.emit(first), VIGIL_OK);
    EXPECT_EQ(host.emitted_wheres, (std::vector<std::string>{"contoso.com"}));
    emitter.start_run();
    EXPECT_EQ(host.requests.size(), 1u) << "the domain is read once, not every run";
}

TEST(EventEmitter, AnUnreadableDomainNamesNothingAndIsAskedForAgainNextRun) {
    test::ScriptedHost host;
    host.fail("/v1.0/organization", VIGIL_ERR_UNAVAILABLE, "503");
    host.answer("/v1.0/organization", {kOrganization});
    EventEmitter emitter(host.host(), "signIn");
    emitter.start_run();
    sdk::Event first = event("a");
    ASSERT_EQ(emitter.emit(first), VIGIL_OK);
    emitter.start_run();
    sdk::Event second = event("b");
    ASSERT_EQ(emitter.emit(second), VIGIL_OK);
    EXPECT_EQ(host.emitted_wheres, (std::vector<std::string>{"", "contoso.com"})) << "empty: the host names the tenant";
}

TEST(EventEmitter, AnEventTheHostRefusesIsCountedAndTheRunGoesOn) {
    test::ScriptedHost host;
    host.answer("/v1.0/organization", {kOrganization});
    host.refuse("bad", VIGIL_ERR_INVALID_ARGUMENT);
    EventEmitter emitter(host.host(), "signIn");
    emitter.start_run();
    for (const char* id : {"a", "bad", "c"}) {
        sdk::Event next = event(id);
        EXPECT_EQ(emitter.emit(next), VIGIL_OK) << id;
    }
    emitter.skip("createdDateTime is missing");
    emitter.finish_run();
    EXPECT_EQ(host.emitted_ids, (std::vector<std::string>{"a", "c"}));
    EXPECT_TRUE(host.logged_containing("a signIn record was skipped: createdDateTime is missing"));
    EXPECT_TRUE(host.logged_containing("1 signIn records could not be read and 1 were refused by the agent"));
}

TEST(EventEmitter, AStatusThatMustEndTheRunIsPassedOn) {
    test::ScriptedHost host;
    host.answer("/v1.0/organization", {kOrganization});
    host.refuse("a", VIGIL_ERR_IO);  // the spool failed
    EventEmitter emitter(host.host(), "directoryAudit");
    emitter.start_run();
    sdk::Event first = event("a");
    EXPECT_EQ(emitter.emit(first), VIGIL_ERR_IO);
    emitter.finish_run();
    EXPECT_FALSE(host.logged_containing("were refused")) << "not counted as a refused record";
}

}  // namespace
}  // namespace vigil::connectors
