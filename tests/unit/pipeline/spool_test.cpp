#include "pipeline/spool.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace vigil {
namespace {

const JobIdentity kJob{"Contoso", "", "11111111-1111-1111-1111-111111111111", "counter"};
const int64_t kHourMs = 3'600'000;
const int64_t kBaseMs = 1'767'225'600'000;  // 2026-01-01

SerializedBatch batch_of(std::initializer_list<std::pair<const char*, int64_t>> events) {
    SerializedBatch batch;
    for (const auto& [id, offset_ms] : events) {
        Event event;
        event.id = id;
        event.time_ms = kBaseMs + offset_ms;
        serialize_event(event, kJob, batch);
    }
    return batch;
}

std::vector<std::string> ids_after(Spool& spool, uint64_t after) {
    SpoolReader reader(spool);
    std::vector<SegmentRecord> records;
    std::vector<std::string> ids;
    for (size_t count; (count = reader.read(after, 1000, records)) > 0;) {
        for (size_t i = 0; i < count; ++i) ids.emplace_back(records[i].id);
        after = records[count - 1].sequence;
    }
    return ids;
}

Spool::Options small_segments(int64_t window_ms = 3 * 24 * kHourMs) {
    Spool::Options options;
    options.dedupe_window_ms = window_ms;
    options.segment_bytes = 600;  // a few records each, so rotation happens in tests
    return options;
}

TEST(Spool, StoresEventsAndCheckpointTogether) {
    test::TempDir dir;
    Spool spool(dir.path().string(), small_segments());
    const int64_t job = spool.job_id(kJob);
    EXPECT_EQ(spool.checkpoint(job), "");
    const auto result = spool.commit_durably(job, batch_of({{"a", 1}, {"b", 2}}), "cp-1", true, 0);
    EXPECT_EQ(result.stored, 2u);
    EXPECT_EQ(result.duplicates, 0u);
    EXPECT_EQ(spool.checkpoint(job), "cp-1");
    EXPECT_EQ(spool.head(), 2u);
    EXPECT_EQ(ids_after(spool, 0), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(ids_after(spool, 1), (std::vector<std::string>{"b"}));
}

TEST(Spool, DropsIdsTheJobAlreadyStored) {
    test::TempDir dir;
    Spool spool(dir.path().string(), small_segments());
    const int64_t job = spool.job_id(kJob);
    spool.commit_durably(job, batch_of({{"a", 1}, {"b", 2}}), "cp-1", true, 0);
    // An overlapping re-read, with a repeat inside the batch as well.
    const auto result = spool.commit_durably(job, batch_of({{"b", 2}, {"c", 3}, {"c", 3}}), "cp-2", true, 0);
    EXPECT_EQ(result.stored, 1u);
    EXPECT_EQ(result.duplicates, 2u);
    EXPECT_EQ(ids_after(spool, 0), (std::vector<std::string>{"a", "b", "c"}));
    // The same id from another job is another event.
    JobIdentity other = kJob;
    other.connector = "other";
    EXPECT_EQ(spool.commit_durably(spool.job_id(other), batch_of({{"a", 1}}), "", false, 0).stored, 1u);
}

TEST(Spool, AnEmptyCheckpointKeepsThePreviousOne) {
    test::TempDir dir;
    Spool spool(dir.path().string(), small_segments());
    const int64_t job = spool.job_id(kJob);
    spool.commit_durably(job, batch_of({{"a", 1}}), "cp-1", true, 0);
    spool.commit_durably(job, batch_of({{"b", 2}}), "", false, 0);
    EXPECT_EQ(spool.checkpoint(job), "cp-1");
}

TEST(Spool, SurvivesAReopenWithSequenceCheckpointsIdsAndCursors) {
    test::TempDir dir;
    {
        Spool spool(dir.path().string(), small_segments());
        const int64_t job = spool.job_id(kJob);
        spool.commit_durably(job, batch_of({{"a", 1}, {"b", 2}, {"c", 3}}), "cp-3", true, 0);
        spool.set_outputs({"jsonl"});
        spool.save_cursor("jsonl", 3, "1234");
        spool.prune_delivered();
    }
    Spool spool(dir.path().string(), small_segments());
    const int64_t job = spool.job_id(kJob);
    EXPECT_EQ(spool.checkpoint(job), "cp-3");
    EXPECT_EQ(spool.head(), 3u);
    EXPECT_EQ(spool.cursor("jsonl").sequence, 3u);
    EXPECT_EQ(spool.cursor("jsonl").resume_token, "1234");
    const auto result = spool.commit_durably(job, batch_of({{"c", 3}, {"d", 4}}), "cp-4", true, 0);
    EXPECT_EQ(result.stored, 1u) << "ids stored before the restart are still known";
    EXPECT_EQ(spool.head(), 4u);
    EXPECT_EQ(ids_after(spool, 3), (std::vector<std::string>{"d"}));
}

TEST(Spool, RotatesSegmentsAndDeletesOnlyWhatEveryOutputDelivered) {
    test::TempDir dir;
    Spool spool(dir.path().string(), small_segments());
    spool.set_outputs({"fast", "slow"});
    const int64_t job = spool.job_id(kJob);
    for (int i = 0; i < 12; ++i) {
        const std::string id = "e" + std::to_string(i);
        spool.commit_durably(job, batch_of({{id.c_str(), i}}), "", false, 0);
    }
    const size_t segments_before = list_segments(spool.segment_dir()).size();
    EXPECT_GE(segments_before, 3u);
    spool.save_cursor("fast", 12, "");
    spool.save_cursor("slow", 2, "");
    spool.prune_delivered();
    EXPECT_EQ(spool.backlog(), 10u);
    const auto remaining = ids_after(spool, 2);
    ASSERT_EQ(remaining.size(), 10u) << "everything the slow output has not delivered is still readable";
    EXPECT_EQ(remaining.front(), "e2");
    spool.save_cursor("slow", 12, "");
    spool.prune_delivered();
    EXPECT_EQ(list_segments(spool.segment_dir()).size(), 1u) << "only the active segment is left";
}

TEST(Spool, DeletesASegmentAsSoonAsTheLastOutputDeliveredIt) {
    // No waiting for a periodic prune: a delivered segment's pages leave memory at once.
    test::TempDir dir;
    Spool spool(dir.path().string(), small_segments());
    spool.set_outputs({"fast", "slow"});
    const int64_t job = spool.job_id(kJob);
    for (int i = 0; i < 12; ++i) {
        const std::string id = "e" + std::to_string(i);
        spool.commit_durably(job, batch_of({{id.c_str(), i}}), "", false, 0);
    }
    const size_t segments_before = list_segments(spool.segment_dir()).size();
    ASSERT_GE(segments_before, 3u);
    spool.save_cursor("fast", 12, "");
    EXPECT_EQ(list_segments(spool.segment_dir()).size(), segments_before) << "the slow output still needs them";
    spool.save_cursor("slow", 12, "");
    EXPECT_EQ(list_segments(spool.segment_dir()).size(), 1u) << "only the active segment is left";
}

TEST(Spool, RecoveryDiscardsRecordsWrittenAfterTheLastCommit) {
    test::TempDir dir;
    uint64_t committed_size = 0;
    std::string segment_file;
    {
        Spool spool(dir.path().string(), small_segments());
        spool.commit_durably(spool.job_id(kJob), batch_of({{"a", 1}}), "cp-1", true, 0);
        segment_file = spool.segment_dir() + "/00000000000000000001.seg";
        committed_size = std::filesystem::file_size(segment_file);
    }
    // A crash after the segment write but before the SQLite commit leaves bytes past the committed tail, and may
    // leave a segment begun after it.
    std::string extra;
    frame_record(extra, 2, 1, kBaseMs, 0, "ghost", "{}");
    std::ofstream(segment_file, std::ios::app | std::ios::binary) << extra;
    std::ofstream(dir.file("segments/00000000000000000002.seg"), std::ios::binary) << extra;
    Spool spool(dir.path().string(), small_segments());
    EXPECT_EQ(std::filesystem::file_size(segment_file), committed_size);
    EXPECT_FALSE(std::filesystem::exists(dir.file("segments/00000000000000000002.seg")));
    EXPECT_EQ(ids_after(spool, 0), (std::vector<std::string>{"a"}));
    const int64_t job = spool.job_id(kJob);
    EXPECT_EQ(spool.commit_durably(job, batch_of({{"ghost", 0}}), "", false, 0).stored, 1u)
        << "the uncommitted id was never recorded as stored";
    EXPECT_EQ(ids_after(spool, 0), (std::vector<std::string>{"a", "ghost"}));
}

TEST(Spool, CommitsFromManyThreadsShareFsyncsAndAllBecomeDurable) {
    test::TempDir dir;
    std::vector<int64_t> jobs;
    {
        Spool spool(dir.path().string(), small_segments());
        for (int j = 0; j < 4; ++j) {
            JobIdentity job = kJob;
            job.connector = "c" + std::to_string(j);
            jobs.push_back(spool.job_id(job));
        }
        std::vector<std::thread> threads;
        for (int j = 0; j < 4; ++j) {
            threads.emplace_back([&, j] {
                uint64_t ticket = 0;
                for (int page = 0; page < 25; ++page) {
                    const std::string id = "j" + std::to_string(j) + "-" + std::to_string(page);
                    ticket =
                        spool.commit(jobs[j], batch_of({{id.c_str(), page}}), std::to_string(page + 1), true, 0).ticket;
                }
                std::string error;
                EXPECT_TRUE(spool.wait_durable(jobs[j], ticket, error)) << error;
            });
        }
        for (auto& thread : threads) thread.join();
        EXPECT_EQ(spool.head(), 100u);
    }
    Spool spool(dir.path().string(), small_segments());
    EXPECT_EQ(ids_after(spool, 0).size(), 100u);
    for (const int64_t job : jobs) EXPECT_EQ(spool.checkpoint(job), "25");
}

TEST(Spool, ADiskFailureVoidsWhatIsNotDurableAndTheJobRetries) {
    test::TempDir dir;
    Spool spool(dir.path().string(), small_segments());
    const int64_t job = spool.job_id(kJob);
    spool.commit_durably(job, batch_of({{"a", 1}}), "cp-1", true, 0);
    // The segment folder vanishes (an unmounted disk, an operator's rm): the writer cannot sync.
    std::filesystem::remove_all(spool.segment_dir());
    const auto result = spool.commit(job, batch_of({{"b", 2}}), "cp-2", true, 0);
    std::string error;
    EXPECT_FALSE(spool.wait_durable(job, result.ticket, error));
    EXPECT_NE(error.find("spool segment"), std::string::npos) << error;
    EXPECT_THROW(spool.commit(job, batch_of({{"c", 3}}), "cp-3", true, 0), std::runtime_error)
        << "the run that lost a commit cannot go on as if it had not";
    EXPECT_EQ(spool.checkpoint(job), "cp-1") << "the checkpoint never moved past what is stored";
    EXPECT_EQ(spool.head(), 1u);
}

TEST(Spool, FilesArePrivateToTheAgent) {
    test::TempDir dir;
    Spool spool(dir.path().string(), small_segments());
    spool.commit_durably(spool.job_id(kJob), batch_of({{"a", 1}}), "", false, 0);
    using std::filesystem::perms;
    const auto private_bits = perms::group_all | perms::others_all;
    EXPECT_EQ(std::filesystem::status(dir.file("spool.db")).permissions() & private_bits, perms::none);
    EXPECT_EQ(std::filesystem::status(spool.segment_dir()).permissions() & private_bits, perms::none);
    EXPECT_EQ(std::filesystem::status(spool.segment_dir() + "/00000000000000000001.seg").permissions() & private_bits,
              perms::none);
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

Spool::Options budgeted(bool drop_oldest) {
    Spool::Options options = small_segments();
    options.budget_bytes = 3000;  // five segments of 600 bytes
    options.drop_oldest_when_full = drop_oldest;
    return options;
}

// Commits one event per call ("e<n>") until the spool refuses; returns how many it took.
int fill(Spool& spool, int64_t job, int from, int limit) {
    for (int n = from; n < limit; ++n) {
        try {
            spool.commit_durably(job, batch_of({{("e" + std::to_string(n)).c_str(), n}}), "", false, 0);
        } catch (const Spool::Full&) {
            return n - from;
        }
    }
    return limit - from;
}

TEST(SpoolBudget, WhenReachedCommitsAreRefusedNamingTheOutputBehindUntilItCatchesUp) {
    test::TempDir dir;
    Spool spool(dir.path().string(), budgeted(false));
    spool.set_outputs({"fast", "slow"});
    const int64_t job = spool.job_id(kJob);
    const int stored = fill(spool, job, 0, 1000);
    ASSERT_LT(stored, 1000);
    EXPECT_GE(spool.bytes(), 3000u);
    EXPECT_LT(spool.bytes(), 3000u + 600u);  // at most one segment's worth over
    spool.save_cursor("fast", spool.head(), "");
    const std::string reason = spool.full_reason();
    EXPECT_NE(reason.find("output 'slow' is " + std::to_string(stored) + " events behind"), std::string::npos)
        << reason;
    EXPECT_NE(reason.find("agent.spool.budget_mb"), std::string::npos) << reason;
    try {
        spool.commit(job, batch_of({{"refused", 0}}), "", false, 0);
        ADD_FAILURE() << "a commit went through a full spool";
    } catch (const Spool::Full& full) {
        EXPECT_EQ(std::string(full.what()), reason);
    }
    // The slow output delivers: its segments go, and the spool takes events again, none lost.
    spool.save_cursor("slow", spool.head(), "");
    EXPECT_EQ(spool.full_reason(), "");
    EXPECT_GT(fill(spool, job, stored, stored + 3), 0);
    EXPECT_EQ(spool.lost_before(), 0u);
}

TEST(SpoolBudget, DropOldestKeepsTakingEventsAndSaysWhereTheLossEnds) {
    test::TempDir dir;
    Spool spool(dir.path().string(), budgeted(true));
    spool.set_outputs({"down"});
    const int64_t job = spool.job_id(kJob);
    EXPECT_EQ(fill(spool, job, 0, 200), 200);
    EXPECT_LT(spool.bytes(), 3000u + 600u);
    const uint64_t lost = spool.lost_before();
    ASSERT_GT(lost, 0u);
    // What is left starts right after the loss and runs to the head, in order.
    const auto left = ids_after(spool, lost);
    ASSERT_FALSE(left.empty());
    EXPECT_EQ(left.front(), "e" + std::to_string(lost));
    EXPECT_EQ(left.back(), "e199");
    EXPECT_EQ(left.size(), 200u - lost);
    EXPECT_EQ(spool.full_reason(), "");
}

}  // namespace
}  // namespace vigil
