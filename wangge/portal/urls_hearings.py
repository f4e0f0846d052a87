"""Public notices, hearings and consultations, and their staff pages."""

from django.urls import path

from wangge.portal import views_hearings as hearings
from wangge.portal import views_notices as notices

urlpatterns = [
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:notice_id>/", notices.notice_detail, name="notice"),
    path(
        "notices/<int:notice_id>/documents/<int:document_id>/",
        notices.notice_document,
        name="notice_document",
    ),
    path("manage/notices/", notices.notice_manage, name="notice_manage"),
    path("manage/notices/new/", notices.notice_new, name="notice_new"),
    path(
        "manage/notices/<int:notice_id>/withdraw/",
        notices.notice_withdraw,
        name="notice_withdraw",
    ),
    path("hearings/", hearings.hearing_list, name="hearings"),
    path("hearings/<int:hearing_id>/", hearings.hearing_detail, name="hearing"),
    path(
        "hearings/<int:hearing_id>/documents/<int:document_id>/",
        hearings.hearing_document,
        name="hearing_document",
    ),
    path("hearings/<int:hearing_id>/register/", hearings.hearing_register, name="hearing_register"),
    path("hearings/<int:hearing_id>/comment/", hearings.hearing_comment, name="hearing_comment"),
    path("manage/hearings/", hearings.hearing_manage, name="hearing_manage"),
    path("manage/hearings/new/", hearings.hearing_new, name="hearing_new"),
    path("manage/hearings/<int:hearing_id>/", hearings.hearing_edit, name="hearing_edit"),
    path("manage/comments/", hearings.comment_moderation, name="comment_moderation"),
    path(
        "manage/comments/<int:comment_id>/",
        hearings.moderate_comment,
        name="moderate_comment",
    ),
]
