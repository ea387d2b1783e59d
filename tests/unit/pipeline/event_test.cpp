#include "pipeline/event.hpp"
#include "util/json_text.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

JobIdentity contoso() {
    return JobIdentity{"Contoso", "Cloud", "11111111-1111-1111-1111-111111111111", "counter"};
}

Event sample() {
    Event event;
    event.id = "e-1";
    event.time_ms = 1'767'225'600'000;
    event.action = "Modified";
    event.object_type = "User";
    event.what = "Jane \"JD\" Doe";
    event.who = "admin@contoso.example";
    event.workstation = "203.0.113.7";
    event.status = "success";
    event.details_json = R"([{"name":"department","old":"Sales","new":"Marketing"}])";
    event.raw_json = R"({"id":"e-1"})";
    return event;
}

TEST(EventRecord, SerializesTheContractFieldsInOrder) {
    SerializedBatch batch;
    serialize_event(sample(), contoso(), batch);
    ASSERT_EQ(batch.rows.size(), 1u);
    const auto& row = batch.rows[0];
    const std::string json = batch.buffer.substr(row.json_offset, row.json_size);
    EXPECT_EQ(json,
              R"({"id":"e-1","connector":"counter","organization":"Contoso","source_group":"Cloud",)"
              R"("tenant_id":"11111111-1111-1111-1111-111111111111","time":"2026-01-01T00:00:00.000Z",)"
              R"("action":"Modified","object_type":"User","what":"Jane \"JD\" Doe","who":"admin@contoso.example",)"
              R"("where":"11111111-1111-1111-1111-111111111111","workstation":"203.0.113.7","status":"success",)"
              R"("details":[{"name":"department","old":"Sales","new":"Marketing"}],"raw":{"id":"e-1"}})");
    EXPECT_TRUE(is_valid_json(json));
    EXPECT_EQ(batch.buffer.substr(row.id_offset, row.id_size), "e-1");
    // Cutting at raw_offset and closing the object gives the record without its raw part.
    const std::string without_raw = json.substr(0, static_cast<size_t>(row.raw_offset)) + "}";
    EXPECT_TRUE(is_valid_json(without_raw));
    EXPECT_EQ(without_raw.find("\"raw\""), std::string::npos);
}

TEST(EventRecord, DefaultsEmptyDetailsAndOmitsEmptyRaw) {
    Event event = sample();
    event.details_json.clear();
    event.raw_json.clear();
    event.where = "contoso.example";
    SerializedBatch batch;
    serialize_event(event, contoso(), batch);
    const std::string json = batch.buffer.substr(batch.rows[0].json_offset, batch.rows[0].json_size);
    EXPECT_NE(json.find(R"("where":"contoso.example")"), std::string::npos);
    EXPECT_NE(json.find(R"("details":[])"), std::string::npos);
    EXPECT_EQ(json.find("\"raw\""), std::string::npos);
    EXPECT_EQ(batch.rows[0].raw_offset, 0);
}

TEST(EventBatch, ReusesItsEventsAcrossBatches) {
    EventBatch batch;
    batch.append().id = "a";
    batch.append().id = "b";
    Event* first = &batch[0];
    batch.clear();
    EXPECT_TRUE(batch.empty());
    Event& again = batch.append();
    EXPECT_EQ(&again, first);
}

TEST(JobIdentity, KeyIsUnambiguous) {
    const JobIdentity a{"A/B", "", "t", "c"};
    const JobIdentity b{"A", "B", "t", "c"};
    EXPECT_NE(a.key(), b.key());
}

}  // namespace
}  // namespace vigil
