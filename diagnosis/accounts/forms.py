from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp, ValidationError

from .credit_code import credit_code_problem
from .passwords import password_problem
from .models import User

EMAIL_MAX = User.__table__.c.email.type.length
_email_length = Length(max=EMAIL_MAX, message=f"邮箱不能超过 {EMAIL_MAX} 个字符")
_PHONE = Regexp(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", message="请填写 11 位手机号或带区号的固定电话")


class LoginForm(FlaskForm):
    email = EmailField("邮箱", validators=[DataRequired("请填写邮箱"), _email_length])
    password = PasswordField("密码", validators=[DataRequired("请填写密码")])


def _credit_code(form, field):
    problem = credit_code_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def _strong_password(form, field):
    problem = password_problem(field.data or "", form.email.data or "")
    if problem:
        raise ValidationError(problem)


class RegisterForm(FlaskForm):
    enterprise_name = StringField("企业名称", validators=[DataRequired("请填写企业名称"), Length(max=200, message="企业名称过长")])
    credit_code = StringField("统一社会信用代码", validators=[DataRequired("请填写统一社会信用代码"), _credit_code])
    area_id = SelectField("所在县（市、区）", coerce=str, validators=[DataRequired("请选择所在县（市、区）")])
    industry_code = SelectField("所属行业（国民经济行业分类大类）", coerce=str, validators=[DataRequired("请选择所属行业")])
    above_scale = BooleanField("规模以上工业企业（规上企业）")
    contact_name = StringField("联系人", validators=[DataRequired("请填写联系人"), Length(max=60, message="联系人姓名过长")])
    contact_phone = StringField("联系电话", validators=[
        DataRequired("请填写联系电话"),
        _PHONE])
    email = EmailField("登录邮箱", validators=[DataRequired("请填写邮箱"), _email_length, Email("邮箱格式不正确")])
    password = PasswordField("密码", validators=[DataRequired("请设置密码"), _strong_password])
    password2 = PasswordField("确认密码", validators=[DataRequired("请再次输入密码"), EqualTo("password", "两次输入的密码不一致")])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("登录邮箱", validators=[DataRequired("请填写邮箱"), _email_length, Email("邮箱格式不正确")])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("新密码", validators=[DataRequired("请设置新密码")])
    password2 = PasswordField("确认新密码", validators=[DataRequired("请再次输入新密码")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("当前密码", validators=[DataRequired("请填写当前密码")])
    new_password = PasswordField("新密码", validators=[DataRequired("请设置新密码")])
    new_password2 = PasswordField("确认新密码", validators=[DataRequired("请再次输入新密码")])


class EnterpriseDetailsForm(FlaskForm):
    area_id = SelectField("所在县（市、区）", coerce=str, validators=[DataRequired("请选择所在县（市、区）")])
    industry_code = SelectField("所属行业（国民经济行业分类大类）", coerce=str, validators=[DataRequired("请选择所属行业")])
    above_scale = BooleanField("规模以上工业企业（规上企业）")
    contact_name = StringField("联系人", validators=[DataRequired("请填写联系人"), Length(max=60, message="联系人姓名过长")])
    contact_phone = StringField("联系电话", validators=[DataRequired("请填写联系电话"), _PHONE])
