from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from accountwise.users import views
from accountwise.users.forms import LoginForm, StyledPasswordChangeForm

app_name = "users"

urlpatterns = [
    path(
        "login/",
        login_not_required(
            auth_views.LoginView.as_view(
                template_name="users/login.html",
                authentication_form=LoginForm,
                redirect_authenticated_user=True,
            )
        ),
        name="login",
    ),
    path("logout/", views.logout, name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="users/password_change.html",
            form_class=StyledPasswordChangeForm,
            success_url=reverse_lazy("users:password-changed"),
        ),
        name="password-change",
    ),
    path("password/changed/", views.password_changed, name="password-changed"),
    path("users/", views.user_list, name="list"),
    path("users/new/", views.user_create, name="create"),
    path("users/<int:pk>/", views.user_edit, name="edit"),
    path("users/<int:pk>/password/", views.user_set_password, name="set-password"),
]
