// Cmdlets of the audio file family: import-, get-, remove-audiofile (reference 2.8, an extension
// of Lync: audio is imported once and referred to by name or SHA-256).
#include <filesystem>
#include <fstream>

#include "cli/nouns.h"

namespace rgs::cli {

using core::AudioFile;

Runner ImportAudioFile(CLI::App& app) {
  struct Opts {
    std::string file, name;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("--file", o->file, "the WAV file: 8- or 16-bit LPCM, A-law or mu-law, mono or stereo, at most 4 MB")
      ->required();
  app.add_option("--name", o->name, "the name prompts use for it (default: the file's name)");
  return [o](Context& ctx) -> Status {
    auto bytes = ReadOptionFile("--file", o->file, {static_cast<size_t>(core::kMaxAudioBytes), "4 MB"}, false);
    if (!bytes.ok()) return bytes.status();
    AudioFile a;
    a.file_name = std::filesystem::path(o->file).filename().string();
    a.name = o->name.empty() ? a.file_name : o->name;
    Status s = ctx.catalog->ImportAudio(a, *bytes, &ctx.warnings);
    if (s.code() == Code::kInvalid && s.message().rfind("'" + a.file_name + "'", 0) == 0)
      return Invalid("--file: " + s.message());
    RGS_RETURN_IF_ERROR(s);
    ctx.summary = "imported audio file '" + a.name + "'";
    PrintObjects(ctx, {ctx.catalog->Present(a)}, true);
    return Status::Ok();
  };
}

Runner GetAudioFile(CLI::App& app) {
  struct Opts {
    GetOptions get;
    std::string save;
  };
  auto o = std::make_shared<Opts>();
  AddGetOptions(app, &o->get, "audio file");
  app.add_option("--save", o->save, "write the audio file's bytes to FILE (with IDENTITY)");
  return [o](Context& ctx) -> Status {
    if (o->save.empty()) return GetObjects<AudioFile>(ctx, o->get);
    if (o->get.identity.empty()) return Usage("--save needs the audio file named (IDENTITY)");
    auto a = ctx.catalog->Find<AudioFile>(o->get.identity);
    if (!a.ok()) return a.status();
    auto blob = ctx.store->GetBlob(a->sha256);
    if (!blob.ok()) return blob.status();
    if (!blob->has_value()) return Corrupt("the content of audio file '" + a->name + "' is missing from the store");
    std::ofstream out(o->save, std::ios::binary | std::ios::trunc);
    out.write((*blob)->data(), static_cast<std::streamsize>((*blob)->size()));
    out.close();
    if (!out) return IoError("--save: cannot write '" + o->save + "'");
    return Status::Ok();
  };
}

Runner RemoveAudioFile(CLI::App& app) {
  auto identity = std::make_shared<std::string>();
  app.add_option("IDENTITY", *identity, "the audio file's name, GUID, identity or SHA-256")->required();
  return [identity](Context& ctx) -> Status {
    auto a = ctx.catalog->Find<AudioFile>(*identity);
    if (!a.ok()) return a.status();
    return RemoveObject(ctx, store::kAudioFile, a->guid, a->name);
  };
}

}  // namespace rgs::cli
