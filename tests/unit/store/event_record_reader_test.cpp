#include "store/event_record_reader.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(EventRecordReader, ReadsTheIndexedFieldsOfARecordUnescaped) {
    const std::string record =
        R"({"id":"r1","connector":"entra_activity","organization":"Contoso \"HQ\"","source_group":"Cloud",)"
        R"("tenant_id":"t1","time":"2026-01-01T00:00:00.000Z","action":"Added","object_type":"User",)"
        R"("what":"ann\u00e9@contoso.example","who":"admin@contoso.example","where":"contoso.example",)"
        R"("workstation":"203.0.113.7","status":"success","details":[{"name":"x","old":"1","new":"2"}],)"
        R"("raw":{"id":"r1","who":"not this one"}})";
    EventRecordReader reader;
    StoredEventView event;
    std::string reason;
    ASSERT_TRUE(reader.read(record, event, reason)) << reason;
    EXPECT_EQ(event.organization, "Contoso \"HQ\"");
    EXPECT_EQ(event.source_group, "Cloud");
    EXPECT_EQ(event.tenant_id, "t1");
    EXPECT_EQ(event.action, "Added");
    EXPECT_EQ(event.object_type, "User");
    EXPECT_EQ(event.what, "ann\xc3\xa9@contoso.example");
    EXPECT_EQ(event.who, "admin@contoso.example");
    EXPECT_EQ(event.where, "contoso.example");
    EXPECT_EQ(event.workstation, "203.0.113.7");
    EXPECT_EQ(event.status, "success");
    EXPECT_EQ(event.details_json, R"([{"name":"x","old":"1","new":"2"}])");
    EXPECT_EQ(event.raw_json, R"({"id":"r1","who":"not this one"})");
    EXPECT_EQ(event.raw_json.data() + event.raw_json.size() + 1, record.data() + record.size())
        << "a view of the record";

    // The same reader again, on a shorter record without some fields: nothing left over from the first.
    ASSERT_TRUE(reader.read(R"({"id":"r2","who":"bob","status":"failure"})", event, reason));
    EXPECT_EQ(event.who, "bob");
    EXPECT_EQ(event.organization, "");
    EXPECT_EQ(event.what, "");
    EXPECT_TRUE(event.details_json.empty());
    EXPECT_TRUE(event.raw_json.empty());
}

TEST(EventRecordReader, TakesAScalarRawAsItIs) {
    EventRecordReader reader;
    StoredEventView event;
    std::string reason;
    ASSERT_TRUE(reader.read(R"({"id":"r3","details":[],"raw":"a line of text"})", event, reason)) << reason;
    EXPECT_EQ(event.raw_json, R"("a line of text")");
    EXPECT_EQ(event.details_json, "[]");
}

TEST(EventRecordReader, RefusesWhatIsNotARecord) {
    EventRecordReader reader;
    StoredEventView event;
    std::string reason;
    EXPECT_FALSE(reader.read("[1,2]", event, reason));
    EXPECT_EQ(reason, "the event record is not a JSON object");
    EXPECT_FALSE(reader.read(R"({"who":42})", event, reason));
    EXPECT_EQ(reason, "the event record's 'who' is not a string");
}

}  // namespace
}  // namespace vigil
