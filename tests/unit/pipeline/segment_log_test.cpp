#include "pipeline/segment_log.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <system_error>

namespace vigil {
namespace {

std::string framed(uint64_t first, uint64_t count, size_t json_size = 20) {
    std::string out;
    for (uint64_t n = first; n < first + count; ++n) {
        frame_record(out, n, 7, 1000 + static_cast<int64_t>(n), 3, "id-" + std::to_string(n),
                     "{\"x\":\"" + std::string(json_size, 'x') + "\"}");
    }
    return out;
}

std::vector<uint64_t> read_all(const std::string& dir, SegmentPosition tail, uint64_t after = 0, size_t max = 4) {
    SegmentReader reader(dir);
    std::vector<SegmentRecord> records;
    std::vector<uint64_t> sequences;
    for (size_t count; (count = reader.read(after, max, tail, records)) > 0;) {
        for (size_t i = 0; i < count; ++i) sequences.push_back(records[i].sequence);
        after = records[count - 1].sequence;
    }
    return sequences;
}

TEST(SegmentLog, RecordsRoundTripAcrossRotatedSegments) {
    test::TempDir dir;
    const std::string segments = dir.file("segments");
    SegmentWriter writer(segments, 200);
    SegmentPosition tail;
    for (uint64_t first = 1; first <= 10; first += 2) tail = writer.append(framed(first, 2), first);
    EXPECT_GE(list_segments(segments).size(), 3u);
    EXPECT_EQ(read_all(segments, tail), (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    EXPECT_EQ(read_all(segments, tail, 6), (std::vector<uint64_t>{7, 8, 9, 10}));

    SegmentReader reader(segments);
    std::vector<SegmentRecord> records;
    ASSERT_EQ(reader.read(4, 1, tail, records), 1u);
    EXPECT_EQ(records[0].sequence, 5u);
    EXPECT_EQ(records[0].job_id, 7);
    EXPECT_EQ(records[0].time_ms, 1005);
    EXPECT_EQ(records[0].raw_offset, 3);
    EXPECT_EQ(records[0].id, "id-5");
    EXPECT_EQ(records[0].json, "{\"x\":\"xxxxxxxxxxxxxxxxxxxx\"}");
}

TEST(SegmentLog, NeverReadsPastTheCommittedTail) {
    test::TempDir dir;
    SegmentWriter writer(dir.file("s"), 1 << 20);
    const SegmentPosition committed = writer.append(framed(1, 3), 1);
    writer.append(framed(4, 3), 4);  // written, not (yet) committed
    EXPECT_EQ(read_all(dir.file("s"), committed), (std::vector<uint64_t>{1, 2, 3}));
}

TEST(SegmentLog, TruncateUndoesAppendsIncludingANewSegment) {
    test::TempDir dir;
    SegmentWriter writer(dir.file("s"), 100);
    const SegmentPosition committed = writer.append(framed(1, 2), 1);
    writer.append(framed(3, 2), 3);  // starts a second segment
    ASSERT_EQ(list_segments(dir.file("s")).size(), 2u);
    writer.truncate_to(committed);
    EXPECT_EQ(list_segments(dir.file("s")), (std::vector<uint64_t>{1}));
    // A segment that is already full starts a new one on the next append; the sequence numbering stays right.
    const SegmentPosition tail = writer.append(framed(3, 1), 3);
    EXPECT_EQ(read_all(dir.file("s"), tail), (std::vector<uint64_t>{1, 2, 3}));
}

TEST(SegmentLog, SyncCoversFullSegmentsAndTheActiveOne) {
    test::TempDir dir;
    SegmentWriter writer(dir.file("s"), 100);
    writer.append(framed(1, 2), 1);
    writer.append(framed(3, 2), 3);  // seals the first segment, starts a second
    EXPECT_EQ(writer.take_for_sync(), (std::vector<uint64_t>{1, 3}));
    EXPECT_EQ(writer.take_for_sync(), (std::vector<uint64_t>{3})) << "a sealed segment is synced once";
    SegmentWriter::sync(dir.file("s"), {1, 3});
    try {
        SegmentWriter::sync(dir.file("s"), {99});
        FAIL() << "syncing a missing segment must fail";
    } catch (const std::system_error& failure) {
        EXPECT_NE(std::string(failure.what()).find("00000000000000000099.seg"), std::string::npos) << failure.what();
    }
}

TEST(SegmentLog, LargeRecordsAreReadWhole) {
    test::TempDir dir;
    SegmentWriter writer(dir.file("s"), 64 << 20);
    const SegmentPosition tail = writer.append(framed(1, 3, 3 << 20), 1);  // 3 MB each, > the read chunk
    SegmentReader reader(dir.file("s"));
    std::vector<SegmentRecord> records;
    uint64_t after = 0;
    size_t seen = 0;
    for (size_t count; (count = reader.read(after, 10, tail, records)) > 0;) {
        for (size_t i = 0; i < count; ++i) EXPECT_EQ(records[i].json.size(), (3u << 20) + 8);
        seen += count;
        after = records[count - 1].sequence;
    }
    EXPECT_EQ(seen, 3u);
}

TEST(SegmentLog, ACorruptRecordIsReportedWithFileAndOffset) {
    test::TempDir dir;
    SegmentWriter writer(dir.file("s"), 1 << 20);
    const SegmentPosition tail = writer.append(framed(1, 3), 1);
    const std::string file = dir.file("s/00000000000000000001.seg");
    {
        std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
        io.seekp(static_cast<std::streamoff>(tail.offset - 5));
        io.put('!');
    }
    try {
        read_all(dir.file("s"), tail, 0, 10);
        FAIL() << "corruption went unnoticed";
    } catch (const std::runtime_error& failure) {
        EXPECT_NE(std::string(failure.what()).find(file + " has a checksum mismatch at offset"), std::string::npos)
            << failure.what();
    }
}

}  // namespace
}  // namespace vigil
