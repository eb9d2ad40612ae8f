#include "classifier/result_json.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/classifier/test_rules.h"

namespace sambat::classifier {
namespace {

class JsonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    load_ = LoadRules(SAMBAT_SOURCE_DIR "/rules");
    ASSERT_TRUE(load_.ok());
  }
  rapidjson::Document Line(const std::string& in) {
    std::string out = ClassifyJsonLine(*load_.classifier, in);
    rapidjson::Document d;
    d.Parse(out.c_str());
    EXPECT_FALSE(d.HasParseError()) << out;
    return d;
  }
  RulesLoad load_;
};

TEST_F(JsonTest, StableShape) {
  auto d = Line(R"({"id": "p1", "text": "Jalan desa Kepudang rusak parah, tolong diperbaiki"})");
  ASSERT_TRUE(d.IsObject());
  EXPECT_STREQ(d["id"].GetString(), "p1");
  EXPECT_TRUE(d["complaint"].GetBool());
  EXPECT_TRUE(d["score"].IsNumber());
  ASSERT_TRUE(d["opd"].IsArray());
  EXPECT_STREQ(d["opd"][0]["code"].GetString(), "DPUPR");
  EXPECT_TRUE(d["opd"][0]["score"].IsNumber());
  EXPECT_TRUE(d["kategori"].IsString());
  EXPECT_STREQ(d["location"]["kecamatan"].GetString(), "Binangun");
  EXPECT_STREQ(d["location"]["desa"].GetString(), "Kepudang");
  EXPECT_TRUE(d["rules"].IsArray());
  EXPECT_GT(d["rules"].Size(), 0u);
}

TEST_F(JsonTest, NumericIdsAreEchoed) {
  auto d = Line(R"({"id": 12345678901234567, "text": "halo"})");
  EXPECT_TRUE(d["id"].IsUint64());
  EXPECT_EQ(d["id"].GetUint64(), 12345678901234567ull);
  EXPECT_FALSE(d["complaint"].GetBool());
  EXPECT_TRUE(d["location"]["kecamatan"].IsNull());
}

TEST_F(JsonTest, BadLinesGiveErrorsAndKeepTheId) {
  auto unreadable = Line("{nope");
  EXPECT_TRUE(unreadable["id"].IsNull());
  EXPECT_TRUE(unreadable["error"].IsString());
  auto no_text = Line(R"({"id": 7})");
  EXPECT_EQ(no_text["id"].GetInt(), 7);
  EXPECT_TRUE(no_text["error"].IsString());
  auto nested = Line(std::string(100000, '[') + std::string(100000, ']'));  // no stack overflow
  EXPECT_TRUE(nested["error"].IsString());
}

TEST_F(JsonTest, InvalidUtf8InTheTextStillGivesValidJson) {
  std::string in = "{\"id\":1,\"text\":\"jalan rusak \\u00ff parah\"}";
  auto d = Line(in);
  EXPECT_TRUE(d.IsObject());
  Classification r = load_.classifier->Classify("jalan \xff\xfe rusak parah tolong");
  std::string json = ClassificationToJson(r);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str());
  EXPECT_FALSE(doc.HasParseError()) << json;
}

}  // namespace
}  // namespace sambat::classifier
