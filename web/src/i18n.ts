// All user-visible strings of the web front end, in Vietnamese (default) and English.
//
// Keys are checked at compile time: `en` must have exactly the keys of `vi`.

export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[] = ['vi', 'en'];

const vi = {
  app_name: 'Phòng Dịch',
  app_tagline: 'Nền tảng phòng chống dịch bệnh',
  skip_to_content: 'Bỏ qua đến nội dung chính',
  lang_switch: 'English',
  lang_switch_label: 'Switch to English',
  loading: 'Đang tải…',
  saving: 'Đang lưu…',
  close: 'Đóng',
  retry: 'Thử lại',
  cancel: 'Hủy',
  logout: 'Đăng xuất',
  required_mark: '(bắt buộc)',
  none: '—',
  error_heading: 'Có lỗi xảy ra',
  error_network: 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.',
  error_unexpected: 'Máy chủ trả về lỗi không mong muốn (mã {status}).',
  error_session_expired: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
  error_field_required: 'Vui lòng nhập thông tin này',
  error_invalid_input: 'Dữ liệu không hợp lệ',

  // Sign-in
  signin_title: 'Đăng nhập',
  signin_intro: 'Khai báo thông tin cho bạn và gia đình, nhận thông báo phòng dịch.',
  tab_citizen: 'Người dân',
  tab_staff: 'Cán bộ',
  signin_tabs_label: 'Loại tài khoản',
  phone_label: 'Số điện thoại',
  phone_hint: 'Ví dụ: 0912 345 678',
  send_code: 'Gửi mã',
  sending_code: 'Đang gửi…',
  code_label: 'Mã xác thực (6 chữ số)',
  code_hint: 'Xem tin nhắn SMS. Mã hết hạn sau {minutes} phút.',
  code_sent: 'Đã gửi mã xác thực đến {phone}.',
  code_invalid_format: 'Mã xác thực gồm đúng 6 chữ số',
  verify_code: 'Đăng nhập',
  verifying: 'Đang kiểm tra…',
  resend_code: 'Gửi lại mã',
  resend_in: 'Gửi lại mã sau {seconds} giây',
  change_phone: 'Đổi số điện thoại',
  username_label: 'Tên đăng nhập',
  password_label: 'Mật khẩu',
  login_button: 'Đăng nhập',
  logging_in: 'Đang đăng nhập…',
  staff_intro: 'Dành cho cán bộ y tế, quản lý địa điểm, cơ sở và đơn vị.',

  // Citizen home
  citizen_home_title: 'Trang cá nhân',
  greeting_named: 'Xin chào, {name}',
  greeting_anonymous: 'Xin chào!',
  your_phone: 'Số điện thoại: {phone}',
  profile_incomplete: 'Vui lòng cập nhật họ tên và nơi cư trú của bạn.',
  profile_heading: 'Thông tin cá nhân',
  full_name_label: 'Họ và tên',
  home_unit_label: 'Nơi cư trú (xã, phường, đặc khu)',
  unit_search_placeholder: 'Gõ tên xã, phường… ví dụ: Bắc Hà',
  unit_search_hint: 'Gõ ít nhất 2 ký tự, có dấu hoặc không dấu, rồi chọn trong danh sách.',
  unit_results: '{count} kết quả',
  unit_no_results: 'Không tìm thấy đơn vị nào',
  unit_selected: 'Đã chọn: {path}',
  unit_none_selected: 'Chưa chọn nơi cư trú',
  unit_clear: 'Bỏ chọn',
  save: 'Lưu thông tin',
  saved: 'Đã lưu thông tin.',
  family_heading: 'Người thân trong gia đình',
  family_empty: 'Chưa có người thân nào.',
  family_count: '{count} người',
  family_count_one: '1 người',
  family_add_heading: 'Thêm người thân',
  birth_year_label: 'Năm sinh',
  relation_label: 'Quan hệ',
  relation_choose: 'Chọn quan hệ',
  add_member: 'Thêm',
  remove_member: 'Xóa',
  remove_member_label: 'Xóa {name}',
  remove_member_confirm: 'Xóa {name} khỏi danh sách người thân?',
  member_added: 'Đã thêm {name}.',
  member_removed: 'Đã xóa {name}.',
  born_in: 'Sinh năm {year}',
  birth_year_invalid: 'Năm sinh không hợp lệ',

  relation_spouse: 'Vợ/chồng',
  relation_child: 'Con',
  relation_parent: 'Bố/mẹ',
  relation_sibling: 'Anh/chị/em',
  relation_grandparent: 'Ông/bà',
  relation_grandchild: 'Cháu',
  relation_other: 'Khác',

  // Staff home
  staff_home_title: 'Trang cán bộ',
  role_label: 'Vai trò',
  jurisdiction_label: 'Địa bàn phụ trách',
  username_display: 'Tên đăng nhập',
  role_health_official: 'Cán bộ y tế',
  role_venue_staff: 'Nhân viên địa điểm',
  role_facility_staff: 'Nhân viên cơ sở y tế',
  role_unit_reporter: 'Cán bộ báo cáo đơn vị',
  role_admin: 'Quản trị viên',
  account_heading: 'Tài khoản của bạn',
  account_note: 'Các chức năng nghiệp vụ cho vai trò này sẽ sớm được bổ sung.',
  citizens_heading: 'Người dân trong địa bàn',
  citizens_search_label: 'Tìm theo tên hoặc số điện thoại',
  citizens_search_button: 'Tìm',
  citizens_empty: 'Không có người dân nào phù hợp.',
  citizens_count: 'Hiển thị {count} người',
  citizens_count_limited: 'Hiển thị {count} người đầu tiên; hãy tìm theo tên hoặc số điện thoại để thu hẹp.',
  audit_notice: 'Lưu ý: mọi lượt xem thông tin người dân đều được ghi vào nhật ký truy cập.',
  col_name: 'Họ và tên',
  col_phone: 'Số điện thoại',
  col_unit: 'Nơi cư trú',
  col_family: 'Người thân',
  col_username: 'Tên đăng nhập',
  col_staff_unit: 'Đơn vị',
  col_role: 'Vai trò',
  col_birth_year: 'Năm sinh',
  col_relation: 'Quan hệ',
  no_name: '(chưa có tên)',
  citizen_detail_heading: 'Thông tin người dân',
  citizen_detail_hint: 'Chọn một người trong danh sách để xem chi tiết.',
  registered_at: 'Đăng ký lúc',
  view_detail: 'Xem chi tiết {name}',
  nav_label: 'Chức năng',
  nav_citizens: 'Người dân',
  nav_staff: 'Cán bộ',
  nav_audit: 'Nhật ký truy cập',
  staff_heading: 'Danh sách cán bộ',
  staff_empty: 'Chưa có cán bộ nào.',
  staff_inactive: 'Đã khóa',
  staff_create_heading: 'Tạo tài khoản cán bộ',
  staff_unit_label: 'Đơn vị phụ trách',
  staff_unit_none: 'Chưa chọn đơn vị',
  role_choose: 'Chọn vai trò',
  create_staff: 'Tạo tài khoản',
  staff_created: 'Đã tạo tài khoản {username}.',
  audit_heading: 'Nhật ký truy cập',
  audit_empty: 'Chưa có bản ghi nào.',
  audit_refresh: 'Tải lại',
  col_at: 'Thời điểm',
  col_actor: 'Người thực hiện',
  col_action: 'Hành động',
  col_subject: 'Đối tượng',
  col_unit_code: 'Mã đơn vị',
  col_outcome: 'Kết quả',
  outcome_allowed: 'Cho phép',
  outcome_denied: 'Từ chối',
  action_citizen_read: 'Xem thông tin người dân',
  action_citizen_list: 'Xem danh sách người dân',
};

export type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> = {
  app_name: 'Phòng Dịch',
  app_tagline: 'Epidemic prevention platform',
  skip_to_content: 'Skip to main content',
  lang_switch: 'Tiếng Việt',
  lang_switch_label: 'Chuyển sang tiếng Việt',
  loading: 'Loading…',
  saving: 'Saving…',
  close: 'Close',
  retry: 'Try again',
  cancel: 'Cancel',
  logout: 'Sign out',
  required_mark: '(required)',
  none: '—',
  error_heading: 'Something went wrong',
  error_network: 'Cannot reach the server. Please check your connection and try again.',
  error_unexpected: 'The server returned an unexpected error (status {status}).',
  error_session_expired: 'Your session has expired. Please sign in again.',
  error_field_required: 'Please fill in this field',
  error_invalid_input: 'Invalid input',

  signin_title: 'Sign in',
  signin_intro: 'Declare information for you and your family, and receive prevention notices.',
  tab_citizen: 'Citizen',
  tab_staff: 'Staff',
  signin_tabs_label: 'Account type',
  phone_label: 'Phone number',
  phone_hint: 'For example: 0912 345 678',
  send_code: 'Send code',
  sending_code: 'Sending…',
  code_label: 'Verification code (6 digits)',
  code_hint: 'Check your SMS messages. The code expires in {minutes} minutes.',
  code_sent: 'A verification code was sent to {phone}.',
  code_invalid_format: 'The code is exactly 6 digits',
  verify_code: 'Sign in',
  verifying: 'Checking…',
  resend_code: 'Resend code',
  resend_in: 'Resend code in {seconds} s',
  change_phone: 'Change phone number',
  username_label: 'Username',
  password_label: 'Password',
  login_button: 'Sign in',
  logging_in: 'Signing in…',
  staff_intro: 'For health officials, venue, facility and unit staff.',

  citizen_home_title: 'My page',
  greeting_named: 'Hello, {name}',
  greeting_anonymous: 'Hello!',
  your_phone: 'Phone: {phone}',
  profile_incomplete: 'Please add your full name and place of residence.',
  profile_heading: 'Personal information',
  full_name_label: 'Full name',
  home_unit_label: 'Place of residence (commune or ward)',
  unit_search_placeholder: 'Type a commune or ward… e.g. Bac Ha',
  unit_search_hint: 'Type at least 2 characters, with or without diacritics, then pick from the list.',
  unit_results: '{count} results',
  unit_no_results: 'No matching unit',
  unit_selected: 'Selected: {path}',
  unit_none_selected: 'No place of residence chosen',
  unit_clear: 'Clear',
  save: 'Save',
  saved: 'Saved.',
  family_heading: 'Family members',
  family_empty: 'No family members yet.',
  family_count: '{count} people',
  family_count_one: '1 person',
  family_add_heading: 'Add a family member',
  birth_year_label: 'Birth year',
  relation_label: 'Relation',
  relation_choose: 'Choose a relation',
  add_member: 'Add',
  remove_member: 'Remove',
  remove_member_label: 'Remove {name}',
  remove_member_confirm: 'Remove {name} from your family members?',
  member_added: '{name} was added.',
  member_removed: '{name} was removed.',
  born_in: 'Born {year}',
  birth_year_invalid: 'Invalid birth year',

  relation_spouse: 'Spouse',
  relation_child: 'Child',
  relation_parent: 'Parent',
  relation_sibling: 'Sibling',
  relation_grandparent: 'Grandparent',
  relation_grandchild: 'Grandchild',
  relation_other: 'Other',

  staff_home_title: 'Staff page',
  role_label: 'Role',
  jurisdiction_label: 'Jurisdiction',
  username_display: 'Username',
  role_health_official: 'Health official',
  role_venue_staff: 'Venue staff',
  role_facility_staff: 'Facility staff',
  role_unit_reporter: 'Unit reporter',
  role_admin: 'Administrator',
  account_heading: 'Your account',
  account_note: 'Work tools for this role are coming soon.',
  citizens_heading: 'Citizens in jurisdiction',
  citizens_search_label: 'Search by name or phone number',
  citizens_search_button: 'Search',
  citizens_empty: 'No matching citizens.',
  citizens_count: 'Showing {count} people',
  citizens_count_limited: 'Showing the first {count} people; search by name or phone number to narrow down.',
  audit_notice: 'Note: every view of a citizen’s data is recorded in the audit log.',
  col_name: 'Full name',
  col_phone: 'Phone',
  col_unit: 'Residence',
  col_family: 'Family',
  col_username: 'Username',
  col_staff_unit: 'Unit',
  col_role: 'Role',
  col_birth_year: 'Birth year',
  col_relation: 'Relation',
  no_name: '(no name yet)',
  citizen_detail_heading: 'Citizen details',
  citizen_detail_hint: 'Choose a person in the list to see the details.',
  registered_at: 'Registered at',
  view_detail: 'View details of {name}',
  nav_label: 'Sections',
  nav_citizens: 'Citizens',
  nav_staff: 'Staff',
  nav_audit: 'Audit log',
  staff_heading: 'Staff accounts',
  staff_empty: 'No staff accounts yet.',
  staff_inactive: 'Disabled',
  staff_create_heading: 'Create a staff account',
  staff_unit_label: 'Unit in charge',
  staff_unit_none: 'No unit chosen',
  role_choose: 'Choose a role',
  create_staff: 'Create account',
  staff_created: 'Account {username} was created.',
  audit_heading: 'Audit log',
  audit_empty: 'No entries yet.',
  audit_refresh: 'Reload',
  col_at: 'Time',
  col_actor: 'Actor',
  col_action: 'Action',
  col_subject: 'Subject',
  col_unit_code: 'Unit code',
  col_outcome: 'Outcome',
  outcome_allowed: 'Allowed',
  outcome_denied: 'Denied',
  action_citizen_read: 'Read citizen',
  action_citizen_list: 'List citizens',
};

const dictionaries: Record<Lang, Record<MessageKey, string>> = { vi, en };

const STORAGE_KEY = 'phongdich.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'vi' || saved === 'en') return saved;
  } catch {
    // localStorage may be unavailable (private mode); fall through.
  }
  return 'vi';
}

let current: Lang = initialLang();
const listeners = new Set<(lang: Lang) => void>();

export function lang(): Lang {
  return current;
}

/** Switches the UI language, persists it and updates `<html lang>`. */
export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // ignore
  }
  applyDocumentLang();
  for (const listener of listeners) listener(next);
}

export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function applyDocumentLang(): void {
  document.documentElement.lang = current;
}

/** Translates `key`, replacing `{name}` placeholders with `params`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return tFor(current, key, params);
}

/** Like `t`, in a given language. */
export function tFor(l: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const template = dictionaries[l][key] ?? dictionaries.vi[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Picks the current language out of a `{vi, en}` object sent by the API. */
export function pick(message: Partial<Record<Lang, string>> | string | null | undefined): string {
  if (message == null) return '';
  if (typeof message === 'string') return message;
  return message[current] ?? message.vi ?? message.en ?? '';
}

/** True if `key` is a known message key (used for role / relation labels from the API). */
export function hasKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(vi, key);
}

export function locale(): string {
  return current === 'vi' ? 'vi-VN' : 'en-GB';
}
