#include "pipeline/spool.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace vigil {
namespace {

const JobIdentity kJob{"Contoso", "", "11111111-1111-1111-1111-111111111111", "counter"};

// Event times are offsets from now: ids older than the de-duplication window are forgotten on purpose.
const int64_t kNowMs =
    std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();

SerializedBatch batch_of(std::initializer_list<std::pair<const char*, int64_t>> events) {
    SerializedBatch batch;
    for (const auto& [id, offset_ms] : events) {
        Event event;
        event.id = id;
        event.time_ms = kNowMs - 60'000 + offset_ms;
        serialize_event(event, kJob, batch);
    }
    return batch;
}

std::vector<std::string> ids_after(const std::string& path, uint64_t after) {
    SpoolReader reader(path);
    std::vector<StoredEvent> events;
    const size_t count = reader.read(after, 1000, events);
    std::vector<std::string> ids;
    for (size_t i = 0; i < count; ++i) ids.push_back(events[i].id);
    return ids;
}

TEST(Spool, StoresEventsAndCheckpointTogether) {
    test::TempDir dir;
    const std::string path = dir.file("spool.db");
    Spool spool(path, 86'400'000);
    const int64_t job = spool.job_id(kJob);
    EXPECT_EQ(spool.checkpoint(job), "");
    const auto result = spool.commit(job, batch_of({{"a", 1}, {"b", 2}}), "cp-1", true, 0);
    EXPECT_EQ(result.stored, 2u);
    EXPECT_EQ(result.duplicates, 0u);
    EXPECT_EQ(spool.checkpoint(job), "cp-1");
    EXPECT_EQ(spool.head(), 2u);
    EXPECT_EQ(ids_after(path, 0), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(ids_after(path, 1), (std::vector<std::string>{"b"}));
}

TEST(Spool, DropsIdsTheJobAlreadyStored) {
    test::TempDir dir;
    Spool spool(dir.file("spool.db"), 86'400'000);
    const int64_t job = spool.job_id(kJob);
    spool.commit(job, batch_of({{"a", 1}, {"b", 2}}), "cp-1", true, 0);
    // An overlapping re-read, with a duplicate inside the batch as well.
    const auto result = spool.commit(job, batch_of({{"b", 2}, {"c", 3}, {"c", 3}}), "cp-2", true, 0);
    EXPECT_EQ(result.stored, 1u);
    EXPECT_EQ(result.duplicates, 2u);
    EXPECT_EQ(ids_after(dir.file("spool.db"), 0), (std::vector<std::string>{"a", "b", "c"}));
    // The same id from another job is another event.
    JobIdentity other = kJob;
    other.connector = "other";
    EXPECT_EQ(spool.commit(spool.job_id(other), batch_of({{"a", 1}}), "", false, 0).stored, 1u);
}

TEST(Spool, AnEmptyCheckpointKeepsThePreviousOne) {
    test::TempDir dir;
    Spool spool(dir.file("spool.db"), 86'400'000);
    const int64_t job = spool.job_id(kJob);
    spool.commit(job, batch_of({{"a", 1}}), "cp-1", true, 0);
    spool.commit(job, batch_of({{"b", 2}}), "", false, 0);
    EXPECT_EQ(spool.checkpoint(job), "cp-1");
}

TEST(Spool, SurvivesAReopenWithSequenceCheckpointsAndCursors) {
    test::TempDir dir;
    const std::string path = dir.file("spool.db");
    {
        Spool spool(path, 86'400'000);
        const int64_t job = spool.job_id(kJob);
        spool.commit(job, batch_of({{"a", 1}, {"b", 2}, {"c", 3}}), "cp-3", true, 0);
        spool.set_outputs({"jsonl"});
        spool.save_cursor("jsonl", 3, "1234");
    }
    Spool spool(path, 86'400'000);
    const int64_t job = spool.job_id(kJob);
    EXPECT_EQ(spool.checkpoint(job), "cp-3");
    EXPECT_EQ(spool.head(), 3u);
    EXPECT_EQ(spool.cursor("jsonl").sequence, 3u);
    EXPECT_EQ(spool.cursor("jsonl").resume_token, "1234");
    // Delivered events were pruned, yet numbering continues and old ids are still recognised.
    const auto result = spool.commit(job, batch_of({{"c", 3}, {"d", 4}}), "cp-4", true, 0);
    EXPECT_EQ(result.stored, 1u);
    EXPECT_EQ(spool.head(), 4u);
    EXPECT_EQ(ids_after(path, 0), (std::vector<std::string>{"d"}));
}

TEST(Spool, KeepsEventsUntilTheSlowestOutputDeliveredThem) {
    test::TempDir dir;
    const std::string path = dir.file("spool.db");
    Spool spool(path, 86'400'000);
    spool.set_outputs({"fast", "slow"});
    spool.commit(spool.job_id(kJob), batch_of({{"a", 1}, {"b", 2}, {"c", 3}}), "", false, 0);
    spool.save_cursor("fast", 3, "");
    spool.save_cursor("slow", 1, "");
    spool.prune_delivered();
    EXPECT_EQ(spool.backlog(), 2u);
    EXPECT_EQ(ids_after(path, 0), (std::vector<std::string>{"b", "c"}));
}

SerializedBatch at(const char* id, int64_t time_ms) {
    SerializedBatch batch;
    Event event;
    event.id = id;
    event.time_ms = time_ms;
    serialize_event(event, kJob, batch);
    return batch;
}

TEST(Spool, ForgetsIdsOlderThanTheWindowBehindTheJobsNewestEvent) {
    test::TempDir dir;
    const std::string path = dir.file("spool.db");
    const int64_t hour = 3'600'000;
    const int64_t backfill = 1'767'225'600'000;  // a backfill far behind the clock: nothing is forgotten by age
    {
        Spool spool(path, hour);
        const int64_t job = spool.job_id(kJob);
        spool.commit(job, at("a", backfill), "", false, 0);
        spool.commit(job, at("b", backfill + hour / 2), "", false, 0);
        spool.prune_delivered();
        EXPECT_EQ(spool.commit(job, at("a", backfill), "", false, 0).duplicates, 1u);
        spool.commit(job, at("c", backfill + 2 * hour), "", false, 0);
    }
    Spool spool(path, hour);  // the job's newest time is read back from disk
    const int64_t job = spool.job_id(kJob);
    spool.prune_delivered();
    EXPECT_EQ(spool.commit(job, at("b", backfill + hour / 2), "", false, 0).stored, 1u)
        << "more than the window behind the newest event: forgotten";
    EXPECT_EQ(spool.commit(job, at("c", backfill + 2 * hour), "", false, 0).duplicates, 1u);
}

TEST(Spool, FilesArePrivateToTheAgent) {
    test::TempDir dir;
    Spool spool(dir.file("spool.db"), 86'400'000);
    const auto perms = std::filesystem::status(dir.file("spool.db")).permissions();
    EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
              std::filesystem::perms::none);
}

}  // namespace
}  // namespace vigil
