"""Every forms/*.ui loads with QUILoader, and each form has the widgets its code looks up."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QWidget

from desktop.ui.forms import form_names, load_form

# form → (root class, object names the code finds with child()/findChild)
EXPECTED: dict[str, tuple[type, tuple[str, ...]]] = {
    "main_window": (QMainWindow, ("navList", "pageStack", "menuFile", "menuRecent", "menuHelp", "actionNew",
                                  "actionOpen", "actionSaveCopy", "actionMerge", "actionHistory", "menuRecord",
                                  "actionCheck", "actionExit", "actionAbout",
                                  "actionRestoreBackup", "actionRecycleBin",
                                  "actionOpenLogDir", "actionOpenDataDir", "menuSearch", "actionFind", "actionGuide",
                                  "actionGlobalSearch")),
    "user_guide": (QDialog, ("guideText", "buttonBox")),
    "global_search": (QDialog, ("queryEdit", "resultsTree", "summaryLabel", "buttonBox")),
    "home": (QWidget, ("dateLabel", "unitLabel", "summaryLabel", "refreshButton", "meetingsTree", "birthdaysTree",
                       "measuresTree", "draftsTree", "meetingsBox", "birthdaysBox", "measuresBox", "draftsBox")),
    "members": (QWidget, ("branchCombo", "categoryCombo", "statusCombo", "searchEdit", "revealCheck", "memberTable",
                          "summaryLabel", "detailLabel", "historyTree", "splitter", "addButton", "editButton",
                          "transferButton", "statusButton", "probationButton", "deleteButton", "importButton",
                          "exportButton")),
    "member_probation": (QDialog, ("memberLabel", "historyList", "stepCombo", "dateEdit", "meetingCombo", "newEndEdit",
                                   "newEndLabel", "reasonEdit", "reasonLabel", "hintLabel", "err_step", "err_date",
                                   "err_meeting", "err_new_end", "err_reason", "err_general", "buttonBox")),
    "member_editor": (QDialog, ("nameEdit", "genderCombo", "ethnicityEdit", "birthEdit", "educationCombo", "idEdit",
                                "phoneEdit", "branchCombo", "groupCombo", "categoryCombo", "joinEdit", "fullEdit",
                                "sinceEdit", "postsLabel", "addPostButton", "endPostButton", "jobTitleEdit", "notesEdit", "warningLabel",
                                "buttonBox", "err_name", "err_gender", "err_ethnicity", "err_birth", "err_education",
                                "err_id", "err_phone", "err_branch", "err_group", "err_category", "err_join",
                                "err_full", "err_since", "err_general")),
    "member_import": (QDialog, ("fileEdit", "browseButton", "defaultBranchCombo", "mappingTable", "previewTable",
                                "errorsOnlyCheck", "summaryLabel", "buttonBox", "templateButton", "headerRowSpin")),
    "member_transfer": (QDialog, ("memberLabel", "branchCombo", "groupCombo", "dateEdit", "reasonCombo", "notesEdit",
                                  "errorLabel", "buttonBox")),
    "member_status": (QDialog, ("memberLabel", "statusCombo", "dateEdit", "notesEdit", "hintLabel", "errorLabel",
                                "buttonBox")),
    "organization": (QWidget, ("committeeNameEdit", "unitNameEdit", "saveCommitteeButton", "branchTable",
                               "addBranchButton", "editBranchButton", "deleteBranchButton", "profileLabel",
                               "groupList", "addGroupButton", "renameGroupButton", "deleteGroupButton", "postTable",
                               "addPostButton", "endPostButton", "deletePostButton", "showEndedCheck", "splitter")),
    "branch_editor": (QDialog, ("nameEdit", "hasCommitteeCheck", "hasGroupsCheck", "lectureCombo", "lectureSpin",
                                "themeDaySpin", "establishedEdit", "notesEdit", "hintLabel", "err_name",
                                "err_lecture", "err_theme", "err_established", "err_general", "buttonBox",
                                "ledgerStartEdit", "err_start", "startAssemblySpin", "startCommitteeSpin",
                                "startLectureSpin", "startThemeDaySpin", "err_numbers")),
    "post_editor": (QDialog, ("branchLabel", "postCombo", "groupCombo", "memberCombo", "startEdit", "endEdit",
                              "errorLabel", "buttonBox")),
    "export": (QWidget, ("kindList", "descriptionLabel", "optionsForm", "branchCombo", "yearSpin", "periodCombo",
                         "meetingKindCombo", "campaignCombo", "formatCombo", "revealIdsCheck", "withSigninCheck",
                         "includeDraftsCheck", "outDirEdit",
                         "browseOutButton", "exportButton", "resultLabel", "resultList", "warningsText",
                         "openFileButton", "openFolderButton", "previewButton")),
    "settings": (QWidget, ("unitNameEdit", "lectureCombo", "lectureSpin", "reminderDaysSpin", "soonDaysSpin",
                           "fontTable", "refreshFontsButton", "fileLabel", "backupIntervalSpin", "backupKeepLastSpin",
                           "backupKeepDailySpin", "backupKeepMonthlySpin", "backupDirLabel", "logDirLabel", "openLogDirButton",
                           "statusLabel", "saveButton", "revertButton")),
    "restore_backup": (QDialog, ("infoLabel", "backupView", "restoreButton", "openFolderButton", "closeButton")),
    "crash": (QDialog, ("messageLabel", "detailsText", "logPathLabel", "copyButton", "openLogButton", "closeButton")),
    "check_report": (QDialog, ("summaryLabel", "pathLabel", "detailsText", "copyButton", "closeButton")),
    "record_history": (QDialog, ("titleLabel", "historyTable", "closeButton")),
    "merge": (QDialog, ("summaryLabel", "hintLabel", "conflictTable", "outLabel", "buttonBox")),
    "merge_report": (QDialog, ("summaryLabel", "reportText", "savePdfButton", "saveDocxButton", "openButton",
                               "closeButton")),
}


def test_every_form_is_known_to_someone():
    names = form_names()
    assert set(EXPECTED) <= set(names), sorted(set(EXPECTED) - set(names))


@pytest.mark.parametrize("name", form_names())
def test_form_loads(qapp, name):
    widget = load_form(name)
    try:
        assert widget is not None and widget.objectName()
        cls, required = EXPECTED.get(name, (QWidget, ()))
        assert isinstance(widget, cls), f"{name}: root is {type(widget).__name__}"
        missing = [n for n in required if widget.findChild(QWidget, n) is None and widget.findChild(object, n) is None]
        assert not missing, f"{name} lacks {missing}"
    finally:
        widget.deleteLater()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_form_fits_small_screen(qapp, name):
    """Every dialog and page of the shell fits a 1366×768 screen (minus task bar and window frame)."""
    widget = load_form(name)
    try:
        for label in widget.findChildren(QLabel):
            if label.property("role") == "error":
                label.hide()  # error labels show only next to a field in error (desktop/ui/formdialog.py)
        hint = widget.minimumSizeHint()
        assert hint.width() <= 1366 - 180 and hint.height() <= 768 - 90, f"{name}: {hint}"
    finally:
        widget.deleteLater()
