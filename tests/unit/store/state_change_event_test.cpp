// How a state change reads as an event record.
#include "store/state_change_event.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

StateChange change(StateChange::Action action, std::string property = "", std::string old_json = "",
                   std::string new_json = "") {
    StateChange out;
    out.action = action;
    out.kind = "user";
    out.id = "0b5c1f6e-aaaa-4bbb-8ccc-000000000001";
    out.object_type = "User";
    out.name = "ann@contoso.com";
    out.property = std::move(property);
    out.old_json = std::move(old_json);
    out.new_json = std::move(new_json);
    return out;
}

TEST(StateChangeEvent, AnAddedObjectListsItsProperties) {
    Event event;
    state_change_event(change(StateChange::Action::added, "", "", R"({"enabled":true,"dept":"Sales \"EMEA\""})"),
                       1'790'000'000'000, "contoso.com", event);
    EXPECT_EQ(event.action, "Added");
    EXPECT_EQ(event.object_type, "User");
    EXPECT_EQ(event.what, "ann@contoso.com");
    EXPECT_EQ(event.where, "contoso.com");
    EXPECT_EQ(event.time_ms, 1'790'000'000'000);
    EXPECT_EQ(event.who, "") << "a snapshot does not know who made the change";
    EXPECT_EQ(event.details_json,
              R"([{"name":"enabled","old":null,"new":true},{"name":"dept","old":null,"new":"Sales \"EMEA\""}])");
}

TEST(StateChangeEvent, ARemovedObjectListsWhatItWas) {
    Event event;
    state_change_event(change(StateChange::Action::removed, "", R"({"enabled":false})"), 1, "", event);
    EXPECT_EQ(event.action, "Removed");
    EXPECT_EQ(event.details_json, R"([{"name":"enabled","old":false,"new":null}])");
}

TEST(StateChangeEvent, IdsAreStableAndDifferByPropertyAndSnapshot) {
    Event first, again, other_property, other_snapshot;
    state_change_event(change(StateChange::Action::modified, "enabled", "true", "false"), 5, "", first);
    state_change_event(change(StateChange::Action::modified, "enabled", "true", "false"), 5, "", again);
    state_change_event(change(StateChange::Action::modified, "dept", "\"a\"", "\"b\""), 5, "", other_property);
    state_change_event(change(StateChange::Action::modified, "enabled", "true", "false"), 6, "", other_snapshot);
    EXPECT_EQ(first.id, again.id) << "made again after a crash: the same id, stored once";
    EXPECT_NE(first.id, other_property.id);
    EXPECT_NE(first.id, other_snapshot.id);
    EXPECT_EQ(first.id.rfind("state-", 0), 0u);
    EXPECT_EQ(first.action, "Modified");
    EXPECT_EQ(first.details_json, R"([{"name":"enabled","old":true,"new":false}])");
}

}  // namespace
}  // namespace vigil
