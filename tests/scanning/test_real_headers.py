"""Tags in real C and C++ headers belong to the symbol a person would name.

Each real header of ``../shared/data/headers/`` is copied at test time into a temporary
project, with a tag comment inserted before chosen lines of the original (above a function,
method, prototype, class, template, inline function, macro or macro-decorated declaration, or
inside a body); the scan must attribute every tag as the hand-written table says. The header's
language is decided as a user's project would have it: from the header's content.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medtrace.scanning import scan

pytestmark = pytest.mark.verifies("SRS-40", "SRS-41")

HEADERS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "headers"

#: (header, line of the original before which the tag is inserted, expected owner).
#: ``None``: the tag belongs to the whole file.
EXPECTED: dict[str, list[tuple[int, str | None]]] = {
    "leveldb/db.h": [
        (15, None),  # above `namespace leveldb {`
        (18, "kMajorVersion"),
        (29, "Snapshot"),
        (31, "Snapshot.~Snapshot"),
        (35, "Range"),
        (36, "Range.Range"),
        (37, "Range.Range"),
        (39, "Range.start"),
        (46, "DB"),
        (53, "DB.Open"),
        (56, "DB.DB"),
        (58, "DB.DB"),
        (59, "DB.operator="),
        (61, "DB.~DB"),
        (63, "DB.Put"),  # above the doc comment of Put
        (66, "DB.Put"),
        (73, "DB.Delete"),
        (78, "DB.Write"),
        (87, "DB.Get"),
        (96, "DB.NewIterator"),
        (102, "DB.GetSnapshot"),
        (106, "DB.ReleaseSnapshot"),
        (124, "DB.GetProperty"),
        (134, "DB.GetApproximateSizes"),
        (147, "DB.CompactRange"),
        (155, "DestroyDB"),
        (162, "RepairDB"),
    ],
    "nrfx/nrfx_wdt.h": [
        (1, None),
        (53, "NRFX_WDT_HAS_STOP"),
        (75, "nrfx_wdt_event_handler_t"),
        (80, "nrfx_wdt_channel_id"),
        (83, "nrfx_wdt_control_block_t"),
        (86, "nrfx_wdt_control_block_t.state"),
        (98, "nrfx_wdt_t"),
        (105, "NRFX_WDT_INSTANCE"),
        (112, "nrfx_wdt_config_t"),
        (128, "NRFX_WDT_DEFAULT_CONFIG"),
        (150, "nrfx_wdt_init"),
        (162, "nrfx_wdt_uninit"),
        (172, "nrfx_wdt_init_check"),
        (184, "nrfx_wdt_reconfigure"),
        (198, "nrfx_wdt_channel_alloc"),
        (209, "nrfx_wdt_channels_free"),
        (220, "nrfx_wdt_enable"),
        (229, "nrfx_wdt_feed"),
        (237, "nrfx_wdt_channel_feed"),
        (248, "nrfx_wdt_stop"),
        (256, "nrfx_wdt_irq_handler"),
        (266, "nrfx_wdt_task_address_get"),
        (277, "nrfx_wdt_event_address_get"),
        (281, "nrfx_wdt_task_address_get"),
        (284, "nrfx_wdt_task_address_get"),  # inside the inline function's body
        (287, "nrfx_wdt_event_address_get"),
        (290, "nrfx_wdt_event_address_get"),
    ],
    "rcl/node.h": [
        (17, None),
        (38, "RCL_DISABLE_LOANED_MESSAGES_ENV_VAR"),
        (40, "rcl_node_impl_t"),
        (44, "rcl_node_t"),
        (47, "rcl_node_t.context"),
        (54, "rcl_get_zero_initialized_node"),
        (149, "rcl_node_init"),
        (186, "rcl_node_fini"),
        (226, "rcl_node_is_valid"),
        (239, "rcl_node_is_valid_except_context"),
        (265, "rcl_node_get_name"),
        (292, "rcl_node_get_namespace"),
        (315, "rcl_node_get_fully_qualified_name"),
        (342, "rcl_node_get_options"),
        (375, "rcl_node_get_domain_id"),
        (406, "rcl_node_get_rmw_handle"),
        (435, "rcl_node_get_rcl_instance_id"),
        (468, "rcl_node_get_graph_guard_condition"),
        (495, "rcl_node_get_logger_name"),
        (530, "rcl_node_resolve_name"),
        (551, "rcl_get_disable_loaned_message"),
        (584, "rcl_node_type_description_service_init"),
        (609, "rcl_node_type_description_service_handle_request"),
    ],
    "openigtlink/igtlMessageBase.h": [
        (31, None),
        (78, "MessageBase"),
        (84, "MessageBase.MetaDataMap"),
        (100, "MessageBase.Clone"),
        (103, "MessageBase.SetHeaderVersion"),
        (106, "MessageBase.GetHeaderVersion"),
        (109, "MessageBase.SetDeviceName"),
        (118, "MessageBase.GetDeviceName"),
        (130, "MessageBase.GetMetaDataSize"),
        (142, "MessageBase.SetMetaDataElement"),
        (155, "MessageBase.GetMetaDataElement"),
        (159, "MessageBase.GetMetaData"),
        (177, "MessageBase.SetTimeStamp"),
        (190, "MessageBase.Pack"),
        (206, "MessageBase.Unpack"),
        (210, "MessageBase.GetPackPointer"),
        (237, "MessageBase.AllocateBuffer"),
        (250, "MessageBase.Copy"),
        (253, "MessageBase.SetMessageHeader"),
        (260, "MessageBase.MessageBase"),
        (261, "MessageBase.~MessageBase"),
        (265, "MessageBase.CalculateContentBufferSize"),
        (287, "MessageBase.UnpackHeader"),
        (294, "MessageBase.m_MessageSize"),
        (324, "MessageBase.m_DeviceName"),
        (346, "MessageBase.m_ExtendedHeader"),
        (361, "MessageBase.m_MetaDataMap"),
        (368, "HeaderOnlyMessageBase"),
        (375, "HeaderOnlyMessageBase.HeaderOnlyMessageBase"),
        (377, "HeaderOnlyMessageBase.HeaderOnlyMessageBase"),  # inside the body
        (379, "HeaderOnlyMessageBase.~HeaderOnlyMessageBase"),
        (382, "HeaderOnlyMessageBase.CalculateContentBufferSize"),
        (386, "HeaderOnlyMessageBase.PackContent"),
        (388, "HeaderOnlyMessageBase.PackContent"),  # inside the body
        (391, "HeaderOnlyMessageBase.UnpackContent"),
        (400, "igtlCreateDefaultQueryMessageClass"),
    ],
    "simpleitk/sitkImage.h": [
        (31, None),
        (76, "Image"),
        (79, "Image.Self"),
        (81, "Image.~Image"),
        (84, "Image.Image"),
        (89, "Image.operator="),
        (99, "Image.Image"),
        (122, "Image.ProxyForInPlaceOperation"),
        (142, "Image.Image"),
        (164, "Image.Image"),  # a member template
        (169, "Image.Image"),
        (179, "Image.Image"),  # inside the member template's body
        (197, "Image.GetITKBase"),
        (209, "Image.GetPixelID"),
        (258, "Image.GetOrigin"),
        (260, "Image.SetOrigin"),
        (290, "Image.TransformIndexToPhysicalPoint"),
        (356, "Image.IsSameImageGeometryAs"),
        (391, "Image.CopyInformation"),
        (416, "Image.GetMetaData"),
        (454, "Image.ToVectorImage"),
        (493, "Image.GetPixelAsInt8"),
        (537, "Image.GetPixelAsComplexFloat64"),
        (541, "Image.SetPixelAsInt8"),  # above its Doxygen block
        (557, "Image.SetPixelAsInt8"),
        (687, "Image.MakeUnique"),
        (694, "Image.DefaultImageCoordinateTolerance"),
        (704, "Image.Allocate"),
        (711, "Image.AllocateInternal"),
        (724, "Image.ToScalarInternal"),
        (743, "Image.Image"),
        (746, "Image.DispatchedInternalInitialization"),
        (757, "Image.m_PimpleImage"),
    ],
    "flatbuffers/flatbuffer_builder.h": [
        (41, None),
        (43, "FieldIndexToOffset"),
        (44, "FieldIndexToOffset"),
        (48, "FieldIndexToOffset"),  # inside the inline function
        (53, "data"),
        (54, "data"),  # between the template head and the function
        (60, "data"),
        (77, "FlatBufferBuilderImpl"),
        (78, "FlatBufferBuilderImpl"),
        (83, "FlatBufferBuilderImpl.SizeT"),
        (96, "FlatBufferBuilderImpl.FlatBufferBuilderImpl"),
        (116, "FlatBufferBuilderImpl.FlatBufferBuilderImpl"),
        (137, "FlatBufferBuilderImpl.operator="),
        (144, "FlatBufferBuilderImpl.Swap"),
        (162, "FlatBufferBuilderImpl.Reset"),
        (181, "FlatBufferBuilderImpl.GetSize"),
        (186, "FlatBufferBuilderImpl.GetSizeRelative32BitRegion"),
        (209, "FlatBufferBuilderImpl.GetBufferPointer"),
        (228, "FlatBufferBuilderImpl.Release"),
        (277, "FlatBufferBuilderImpl.ForceDefaults"),
        (311, "FlatBufferBuilderImpl.PushElement"),
        (319, "FlatBufferBuilderImpl.PushElement"),
        (338, "FlatBufferBuilderImpl.AddElement"),
        (420, "FlatBufferBuilderImpl.StartTable"),
        (429, "FlatBufferBuilderImpl.EndTable"),
        (498, "FlatBufferBuilderImpl.EndTable"),  # an attribute macro with arguments
        (548, "FlatBufferBuilderImpl.CreateString"),
        (618, "FlatBufferBuilderImpl.CreateSharedString"),
        (751, "FlatBufferBuilderImpl.CreateVector"),
        (893, "FlatBufferBuilderImpl.CreateVectorOfStrings"),
        (1075, "FlatBufferBuilderImpl.StructKeyComparator"),
        (1076, "FlatBufferBuilderImpl.StructKeyComparator.operator()"),
        (1322, "FlatBufferBuilderImpl.FieldLoc"),
        (1323, "FlatBufferBuilderImpl.FieldLoc.off"),
        (1465, "FlatBufferBuilder"),
        (1470, "FlatBufferBuilder64.CreateString"),
        (1474, "FlatBufferBuilder64.CreateString"),  # inside the specialisation's body
        (1481, "EmptyOffset"),
        (1485, "FlatBufferBuilder64.StartVector"),
        (1504, "GetMutableTemporaryPointer"),
        (1510, "GetTemporaryPointer"),
    ],
}
#: The language each header is read as, decided from its content (no configuration).
LANGUAGE = {
    "leveldb/db.h": "cpp",
    "nrfx/nrfx_wdt.h": "c",
    "rcl/node.h": "c",
    "openigtlink/igtlMessageBase.h": "cpp",
    "simpleitk/sitkImage.h": "cpp",
    "flatbuffers/flatbuffer_builder.h": "cpp",
}


def _tagged_copy(
    header: str, lines: list[int], root: Path, newline: str = "\n"
) -> tuple[str, dict[str, int]]:
    """The header copied under ``root`` with a tag comment (``@implements SRS-n``) before each
    line; the ID given to each original line."""
    rows = (HEADERS / header).read_text("utf-8").split("\n")
    ids = {}
    for number in sorted(set(lines), reverse=True):
        indent = re.match(r"[ \t]*", rows[number - 1])
        item = f"SRS-{number}"
        rows.insert(number - 1, f"{indent.group() if indent else ''}// @implements {item}")
        ids[item] = number
    rel = "include/" + header
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(newline.join(rows).encode("utf-8"))
    return rel, ids


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("header", sorted(EXPECTED))
def test_every_tag_belongs_to_the_symbol_a_reader_would_name(
    header: str, newline: str, tmp_path: Path
) -> None:
    assert (HEADERS / header).is_file(), "the shared sample headers are beside the repository"
    expected = EXPECTED[header]
    rel, ids = _tagged_copy(header, [line for line, _ in expected], tmp_path, newline)
    result = scan(tmp_path, ["include/**"], [])
    found = {tag.ids[0]: tag.symbol for tag in result.tags}
    wrong = {
        line: (owner, found.get(f"SRS-{line}", "(no tag)"))
        for line, owner in expected
        if found.get(f"SRS-{line}", "(no tag)") != owner
    }
    assert wrong == {}, f"{header}: line: (expected, found)"
    assert len(result.tags) == len(ids)
    assert {tag.path for tag in result.tags} == {rel}
    assert {tag.language for tag in result.tags} == {LANGUAGE[header]}


def test_the_proof_covers_many_tags() -> None:
    assert sum(len(rows) for rows in EXPECTED.values()) >= 180
